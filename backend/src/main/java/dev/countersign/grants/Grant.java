package dev.countersign.grants;

import java.time.Instant;

/** A signed grant (ES256 JWS) as the agent receives it: the token and when it stops being redeemable. */
public record Grant(String token, Instant expiresAt) {
}
