package dev.countersign.policy.internal;

import dev.cel.runtime.CelEvaluationException;
import dev.countersign.common.Globs;
import dev.countersign.policy.ActionFacts;
import dev.countersign.policy.PolicyDecision.Effect;
import dev.countersign.policy.SlackRoute;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * One validated rule: it matches when its {@code match} shorthand and its {@code when} condition
 * (if any) both hold. A condition left out matches anything; a condition on a fact the request
 * lacks matches nothing.
 */
record Rule(String name, Match match, Condition when, Effect effect, String reason, List<String> approvers, int quorum,
            Duration timeout, Duration reminder, SlackRoute slack, String process, boolean hold, dev.countersign.policy.StandingCap standing,
            Duration stepUp, boolean groupApproval) {

    boolean matches(ActionFacts action, Instant now) throws CelEvaluationException {
        return match.matches(action) && (when == null || when.holds(action, now));
    }

    record Match(String tool, String category, String environment, String dataClassification, AmountRange amount) {

        boolean matches(ActionFacts action) {
            return (tool == null || Globs.matches(tool, action.tool()))
                    && (category == null || category.equals(action.category()))
                    && (environment == null || environment.equals(action.environment()))
                    && (dataClassification == null || dataClassification.equals(action.dataClassification()))
                    && (amount == null || amount.matches(action));
        }
    }

    /**
     * Bounds compared as decimals, in one currency: the rule's, or the policy's default when the
     * rule names none. An amount in another currency never matches, so a USD payment does not
     * slip under a EUR limit.
     */
    record AmountRange(BigDecimal lt, BigDecimal lte, BigDecimal gt, BigDecimal gte, String currency) {

        boolean matches(ActionFacts action) {
            var value = action.amount();
            if (value == null || !currency.equals(action.currency())) {
                return false;
            }
            return (lt == null || value.compareTo(lt) < 0)
                    && (lte == null || value.compareTo(lte) <= 0)
                    && (gt == null || value.compareTo(gt) > 0)
                    && (gte == null || value.compareTo(gte) >= 0);
        }
    }
}
