package dev.countersign.actions;

/**
 * Who decided: policy at ask time, the approvers, a standing approval they gave earlier, the expiry, the agent withdrawing,
 * or an admin switching the agent off.
 */
public enum DecidedBy { POLICY, APPROVERS, STANDING_APPROVAL, TIMEOUT, AGENT, ADMIN }
