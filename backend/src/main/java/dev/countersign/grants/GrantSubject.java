package dev.countersign.grants;

import java.time.Instant;
import java.util.List;

/**
 * What a grant is bound to: one approved request, its agent, its tool and the hash of its exact
 * arguments. {@code holdUntil}, when set, keeps the grant redeemable that long (an approval that
 * waits for the agent's next identical call) instead of the usual short TTL. {@code chainAgents}:
 * the agents of the delegation chain the request was asked down, each of which must still be on
 * when it is redeemed (just the agent when nobody delegated).
 */
public record GrantSubject(String requestId, String agent, String tool, String actionHash, Instant holdUntil,
                           List<String> chainAgents) {

    public GrantSubject {
        chainAgents = chainAgents == null || chainAgents.isEmpty() ? List.of(agent) : List.copyOf(chainAgents);
    }

    public GrantSubject(String requestId, String agent, String tool, String actionHash, Instant holdUntil) {
        this(requestId, agent, tool, actionHash, holdUntil, null);
    }

    /** Whether the request came down a chain of more than its own agent. */
    public boolean delegated() {
        return chainAgents.size() > 1 || !chainAgents.getFirst().equals(agent);
    }
}
