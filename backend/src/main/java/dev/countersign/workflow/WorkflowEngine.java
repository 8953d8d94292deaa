package dev.countersign.workflow;

/**
 * The port every engine adapter implements (embedded Flowable by default, a Camunda 8 cluster
 * when configured). All operations are idempotent per request id.
 */
public interface WorkflowEngine {

    /** Starts the approval process for a request unless one is already running for it. */
    void start(ProcessStart start);

    /** Whether a process for the request is still running. */
    boolean isRunning(String requestId);

    /** Tells the request's process that the database has decided: it stops waiting, reminding and expiring. */
    void decided(String requestId);

    /** Number of process instances ever started for the request (running or finished). */
    long instancesFor(String requestId);
}
