package dev.countersign.policy.internal;

import java.math.BigDecimal;
import java.util.List;
import tools.jackson.databind.JsonNode;

/**
 * The YAML policy file as written; {@link CompiledPolicy} validates it into {@link Rule}s.
 *
 * @param currency the currency of amounts in rules that name none (EUR when left out)
 * @param tests    examples the policy must decide as written, checked before it is used
 */
record PolicyDocument(String currency, List<RuleDocument> rules, List<TestDocument> tests) {

    record RuleDocument(String name, MatchDocument match, String when, String effect, String reason, List<String> approvers,
                        Integer quorum, String timeout, String reminder, SlackDocument slack, String process, String onApproval,
                        StandingDocument standing, StepUpDocument stepUp, Boolean groupApproval) {
    }

    /** {@code stepUp: {maxAge: 5m}}: a vote under this rule counts only after a sign-in within maxAge (5m when left out). */
    record StepUpDocument(String maxAge) {
    }

    /** {@code standing: {maxAge: 8h, maxUses: 20}}: approvers may approve "this and the next ones like it" under this rule. */
    record StandingDocument(String maxAge, Integer maxUses) {
    }

    record SlackDocument(String channel, Boolean dm) {
    }

    record MatchDocument(String tool, String category, String environment, String dataClassification,
                         AmountDocument amount) {
    }

    record AmountDocument(BigDecimal lt, BigDecimal lte, BigDecimal gt, BigDecimal gte, String currency) {
    }

    /**
     * An agent (and its owner, and the delegation chain it asks through, root first, with {@code rootIsPerson}), a tool
     * and its arguments, and the rule and effect the policy must answer with.
     */
    record TestDocument(String name, String agent, String owner, java.util.List<String> chain, Boolean rootIsPerson, String tool,
                        JsonNode arguments, ExpectDocument expect, java.util.Map<String, Long> asked, Long pending) {
    }

    record ExpectDocument(String rule, String effect) {
    }
}
