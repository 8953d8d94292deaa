package dev.countersign.identity;

/**
 * Published in the switching transaction when an admin switches an agent off: whatever the agent
 * was about to be allowed must end with it (its pending requests, its unredeemed grants).
 */
public record AgentSwitchedOff(String agentId, String admin) {
}
