package dev.countersign.policy.internal;

import dev.countersign.common.Globs;
import dev.countersign.policy.ActionFacts;
import dev.countersign.policy.PolicyDecision.Effect;
import dev.countersign.policy.SlackRoute;
import java.time.Duration;
import java.util.List;

/** One validated rule. A condition left out matches anything; a condition on a field the request lacks matches nothing. */
record Rule(String name, Match match, Effect effect, String reason, List<String> approvers, int quorum,
            Duration timeout, Duration reminder, SlackRoute slack, String process) {

    boolean matches(ActionFacts action) {
        return match.matches(action);
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

    record AmountRange(java.math.BigDecimal lt, java.math.BigDecimal lte, java.math.BigDecimal gt,
                       java.math.BigDecimal gte, String currency) {

        boolean matches(ActionFacts action) {
            var value = action.amount();
            if (value == null) {
                return false;
            }
            return (lt == null || value.compareTo(lt) < 0)
                    && (lte == null || value.compareTo(lte) <= 0)
                    && (gt == null || value.compareTo(gt) > 0)
                    && (gte == null || value.compareTo(gte) >= 0)
                    && (currency == null || currency.equals(action.currency()));
        }
    }
}
