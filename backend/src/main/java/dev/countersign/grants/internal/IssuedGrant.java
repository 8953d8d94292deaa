package dev.countersign.grants.internal;

import java.time.Instant;

/** A grant just signed and stored. */
record IssuedGrant(String jti, String token, Instant expiresAt) {
}
