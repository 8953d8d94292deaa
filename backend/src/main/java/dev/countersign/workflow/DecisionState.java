package dev.countersign.workflow;

/**
 * Lets an engine adapter ask the database whether a request is still undecided, without the
 * workflow module knowing what a request is (the actions module implements it).
 */
public interface DecisionState {

    boolean isPending(String requestId);
}
