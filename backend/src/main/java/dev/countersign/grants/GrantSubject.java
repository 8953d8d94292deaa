package dev.countersign.grants;

import java.time.Instant;

/**
 * What a grant is bound to: one approved request, its agent, its tool and the hash of its exact
 * arguments. {@code holdUntil}, when set, keeps the grant redeemable that long (an approval that
 * waits for the agent's next identical call) instead of the usual short TTL.
 */
public record GrantSubject(String requestId, String agent, String tool, String actionHash, Instant holdUntil) {
}
