package dev.countersign.policy;

import java.math.BigDecimal;

/** What policy may look at. Nullable fields were absent from the request. */
public record ActionFacts(
        String agent,
        String tool,
        String category,
        String environment,
        String dataClassification,
        String resource,
        BigDecimal amount,
        String currency) {
}
