package dev.countersign.policy;

/** The active runtime policy. First matching rule wins; nothing matching means one admin must approve (fail closed). */
public interface Policy {

    PolicyDecision evaluate(ActionFacts action);

    /** Content hash of the active policy, recorded with every decision it makes. */
    String version();

    /** The policy's source text, for admins to read. */
    String source();
}
