package dev.countersign.actions;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;

/**
 * A standing approval as the API and the console show it. {@code status}: {@code ACTIVE},
 * {@code USED_UP}, {@code EXPIRED}, {@code REVOKED} (by an approver of its rule) or {@code VOIDED}
 * (the policy, the catalog or the agent's runtime changed, or the agent was switched off);
 * {@code endReason} says which.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record StandingApproval(String id, String status, String requestId, String agent, List<String> chain, String rule,
                               List<String> approvers, List<String> approvedBy, String tool, BigDecimal amountAtMost, String currency,
                               String environment, String resource, Integer uses, int used, BigDecimal budget, BigDecimal spent,
                               String policyVersion, String catalogVersion, Instant createdAt, Instant expiresAt, Instant endedAt,
                               String endedBy, String endReason) {
}
