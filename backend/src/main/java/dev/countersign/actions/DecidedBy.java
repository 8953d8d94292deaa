package dev.countersign.actions;

/** Who decided: policy at ask time, the approvers, the expiry, the agent withdrawing, or an admin switching the agent off. */
public enum DecidedBy { POLICY, APPROVERS, TIMEOUT, AGENT, ADMIN }
