package dev.countersign.audit;

import java.time.Instant;

/** One link of the chain: {@code hash = sha256(prevHash + canonical JSON of the other fields)}. */
public record AuditEntry(long seq, Instant at, String type, String actor, String requestId, String data,
                         String prevHash, String hash) {
}
