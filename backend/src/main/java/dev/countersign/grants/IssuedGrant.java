package dev.countersign.grants;

import java.time.Instant;

public record IssuedGrant(String jti, String token, Instant expiresAt, Instant redeemedAt) {
}
