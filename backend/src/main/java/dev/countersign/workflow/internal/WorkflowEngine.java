package dev.countersign.workflow.internal;

/**
 * The port every engine adapter implements (embedded Flowable by default, a Camunda 8 cluster
 * when configured), each in a Maven module of its own. Internal to the workflow module: the rest
 * of Countersign never calls an engine; it publishes {@code ActionRequested} and
 * {@code ActionDecided}, and {@link ProcessLifecycle} turns them into engine calls. All
 * operations are idempotent per request id.
 */
public interface WorkflowEngine {

    /** Starts the approval process for a request unless one is already running for it. */
    void start(ProcessStart start);

    /** Whether a process for the request is still running. */
    boolean isRunning(String requestId);

    /** Delivers the decision to the request's process: it stops waiting, reminding and expiring. */
    void deliverDecision(String requestId);
}
