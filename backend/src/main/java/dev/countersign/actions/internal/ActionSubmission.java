package dev.countersign.actions.internal;

import java.math.BigDecimal;
import java.util.Map;

/**
 * A validated {@code POST /api/v1/actions} body, with the two hashes the contract defines:
 * {@code actionHash} names what is done; {@code fingerprint} names the whole request, for idempotency.
 */
record ActionSubmission(
        String tool,
        String category,
        Map<String, Object> arguments,
        String resource,
        Amount amount,
        String dataClassification,
        String environment,
        String justification,
        String sessionId,
        String onBehalfOf,
        String actionHash,
        String fingerprint,
        String canonicalBody) {

    record Amount(BigDecimal value, String currency) {
    }
}
