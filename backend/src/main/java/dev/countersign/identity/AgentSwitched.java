package dev.countersign.identity;

/**
 * Published in the switching transaction when an admin switches an agent off or on. Off: whatever
 * the agent was about to be allowed ends with it (its pending requests, its unredeemed grants), and
 * the audit entry commits with the switch.
 */
public record AgentSwitched(String agentId, boolean enabled, String admin) {
}
