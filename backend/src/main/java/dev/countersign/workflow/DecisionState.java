package dev.countersign.workflow;

/**
 * Lets an engine adapter ask the database whether a request is still undecided, without the
 * workflow module knowing what a request is (the actions module implements it).
 */
public interface DecisionState {

    boolean isPending(String requestId);

    /** Requests decided in the window, newest first, at most {@code limit}. */
    java.util.List<String> decidedBetween(java.time.Instant from, java.time.Instant to, int limit);
}
