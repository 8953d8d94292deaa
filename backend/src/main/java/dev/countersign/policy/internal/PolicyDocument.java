package dev.countersign.policy.internal;

import java.math.BigDecimal;
import java.util.List;

/** The YAML policy file as written; {@link YamlPolicy} validates it into {@link Rule}s. */
record PolicyDocument(List<RuleDocument> rules) {

    record RuleDocument(String name, MatchDocument match, String effect, String reason, List<String> approvers,
                        Integer quorum, String timeout, String reminder, SlackDocument slack, String process) {
    }

    record SlackDocument(String channel, Boolean dm) {
    }

    record MatchDocument(String tool, String category, String environment, String dataClassification,
                         AmountDocument amount) {
    }

    record AmountDocument(BigDecimal lt, BigDecimal lte, BigDecimal gt, BigDecimal gte, String currency) {
    }
}
