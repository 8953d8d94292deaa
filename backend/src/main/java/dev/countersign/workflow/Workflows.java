package dev.countersign.workflow;

/**
 * What the domain asks of the workflow side. Both calls join the caller's transaction and
 * take effect only if it commits, so a crash between the decision and the engine call loses
 * nothing and doubles nothing.
 */
public interface Workflows {

    /** Records that the request's process must start; relayed to the engine after commit. */
    void scheduleStart(ProcessStart start);

    /** Tells the engine, after commit, that the request is decided. */
    void decidedAfterCommit(String requestId);
}
