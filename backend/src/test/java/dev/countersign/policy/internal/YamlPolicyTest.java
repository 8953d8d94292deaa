package dev.countersign.policy.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.countersign.policy.ActionFacts;
import dev.countersign.policy.PolicyDecision.Effect;
import dev.countersign.policy.PolicyProperties;
import java.math.BigDecimal;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.core.io.DefaultResourceLoader;

class YamlPolicyTest {

    private static final String RULES = """
            rules:
              - name: read-docs
                match: { tool: "docs.*" }
                effect: allow
              - name: small-payments
                match: { tool: payments.transfer, amount: { lt: 1000 } }
                effect: approve
                approvers: ["group:finance"]
                timeout: 30m
              - name: large-payments
                match: { tool: payments.transfer, amount: { gte: 1000, currency: EUR } }
                effect: approve
                approvers: ["group:finance"]
                quorum: 2
                timeout: PT1H
                reminder: 30m
              - name: no-prod-drops
                match: { tool: "db.drop*", environment: prod }
                effect: deny
            """;

    @Test
    void firstMatchingRuleWins() {
        var rules = YamlPolicy.parse(RULES, "test");
        assertThat(rules).extracting(Rule::name).containsExactly("read-docs", "small-payments", "large-payments", "no-prod-drops");
        assertThat(first(rules, payment("999.99", "EUR")).name()).isEqualTo("small-payments");
        assertThat(first(rules, payment("1000", "EUR")).name()).isEqualTo("large-payments");
        assertThat(first(rules, payment("1000", "EUR")).quorum()).isEqualTo(2);
        assertThat(first(rules, payment("1000", "EUR")).timeout()).isEqualTo(Duration.ofHours(1));
        assertThat(first(rules, payment("1000", "EUR")).reminder()).isEqualTo(Duration.ofMinutes(30));
    }

    @Test
    void aConditionOnAMissingFieldMatchesNothing() {
        var rules = YamlPolicy.parse(RULES, "test");
        var noAmount = new ActionFacts("a", "payments.transfer", null, null, null, null, null, null);
        assertThat(rules.stream().filter(r -> r.matches(noAmount))).isEmpty();
        assertThat(rules.stream().filter(r -> r.matches(payment("5000", "USD"))).map(Rule::name)).isEmpty();
    }

    @Test
    void nothingMatchingNeedsOneAdmin() throws Exception {
        var policy = new YamlPolicy(new PolicyProperties("classpath:policy/unit-policy.yaml"), new DefaultResourceLoader());
        var decision = policy.evaluate(new ActionFacts("a", "infra.scale", null, "staging", null, null, null, null));
        assertThat(decision.effect()).isEqualTo(Effect.APPROVE);
        assertThat(decision.rule()).isEqualTo(YamlPolicy.FALLBACK_RULE);
        assertThat(decision.approvers()).containsExactly("group:admin");
        assertThat(decision.quorum()).isEqualTo(1);
        assertThat(decision.policyVersion()).startsWith("sha256:").isEqualTo(policy.version());
    }

    @Test
    void mistakesStopTheStartWithAClearMessage() {
        assertThatThrownBy(() -> YamlPolicy.parse("rules:\n  - name: x\n    effect: approve\n", "p.yaml"))
                .hasMessageContaining("rule 'x'").hasMessageContaining("approvers");
        assertThatThrownBy(() -> YamlPolicy.parse("rules:\n  - name: x\n    effect: maybe\n", "p.yaml"))
                .hasMessageContaining("allow, deny or approve");
        assertThatThrownBy(() -> YamlPolicy.parse("rules:\n  - name: x\n    effect: approve\n    approvers: [finance]\n", "p.yaml"))
                .hasMessageContaining("group:<name>");
        assertThatThrownBy(() -> YamlPolicy.parse("rules:\n  - name: x\n    effect: approve\n    approvers: [\"group:a\"]\n    timeout: soon\n", "p.yaml"))
                .hasMessageContaining("timeout");
        assertThatThrownBy(() -> YamlPolicy.parse("rules:\n  - name: x\n    effect: allow\n    match: { tol: docs.read }\n", "p.yaml"))
                .hasMessageContaining("not valid");
        assertThatThrownBy(() -> new YamlPolicy(new PolicyProperties("classpath:nope.yaml"), new DefaultResourceLoader()))
                .hasMessageContaining("not found");
    }

    private static Rule first(java.util.List<Rule> rules, ActionFacts facts) {
        return rules.stream().filter(r -> r.matches(facts)).findFirst().orElseThrow();
    }

    private static ActionFacts payment(String amount, String currency) {
        return new ActionFacts("billing-agent", "payments.transfer", "SPEND_MONEY", "prod", null, null, new BigDecimal(amount), currency);
    }
}
