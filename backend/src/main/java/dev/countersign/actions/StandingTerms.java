package dev.countersign.actions;

import java.math.BigDecimal;
import java.time.Duration;

/**
 * What an approver stands behind when approving "this and the next ones like it": asks of the same
 * agent (and delegation chain) under the same rule, for tools matching {@code tool} (a glob, by
 * default the request's tool), of at most {@code amountAtMost} in the request's currency, in
 * {@code environment} and on resources matching {@code resource} (when given), at most {@code uses}
 * of them and/or {@code budget} in total, for {@code expiresIn} from the approval. Every approving
 * vote of the quorum must propose the same terms for them to stand.
 */
public record StandingTerms(String tool, BigDecimal amountAtMost, String environment, String resource, Integer uses, BigDecimal budget,
                            Duration expiresIn) {
}
