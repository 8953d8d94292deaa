package dev.countersign.workflow;

/**
 * Handles one job type ({@code countersign.notify}, …) for any engine. Engines deliver at least
 * once, so a handler must be idempotent: a second delivery of the same job changes nothing.
 */
public interface JobHandler {

    String topic();

    void handle(Job job);

    record Job(String topic, String requestId, String jobId, int retriesLeft) {
    }
}
