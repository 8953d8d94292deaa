package dev.countersign.policy.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.countersign.catalog.DerivedFacts;
import dev.countersign.catalog.ToolCatalog;
import dev.countersign.common.ApiProblem;
import dev.countersign.documents.YamlDocuments;
import dev.countersign.policy.ActionFacts;
import dev.countersign.policy.PolicyDecision.Effect;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.core.io.DefaultResourceLoader;
import org.springframework.http.HttpStatus;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

class CompiledPolicyTest {

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
    void firstMatchingRuleWins() throws Exception {
        var rules = CompiledPolicy.parse(RULES, "test");
        assertThat(rules).extracting(Rule::name).containsExactly("read-docs", "small-payments", "large-payments", "no-prod-drops");
        assertThat(first(rules, payment("999.99", "EUR")).name()).isEqualTo("small-payments");
        assertThat(first(rules, payment("1000", "EUR")).name()).isEqualTo("large-payments");
        assertThat(first(rules, payment("1000", "EUR")).quorum()).isEqualTo(2);
        assertThat(first(rules, payment("1000", "EUR")).timeout()).isEqualTo(Duration.ofHours(1));
        assertThat(first(rules, payment("1000", "EUR")).reminder()).isEqualTo(Duration.ofMinutes(30));
    }

    @Test
    void aConditionOnAMissingFieldMatchesNothing() throws Exception {
        var rules = CompiledPolicy.parse(RULES, "test");
        var noAmount = facts("payments.transfer", null, null, null, "{}");
        assertThat(matching(rules, noAmount)).isEmpty();
    }

    @Test
    void anAmountInAnotherCurrencyNeverMatchesABoundInTheDefaultOne() throws Exception {
        var rules = CompiledPolicy.parse(RULES, "test");
        // small-payments names no currency: the policy's default, EUR. 5 USD is not "under 1000" of it.
        assertThat(matching(rules, payment("5", "USD"))).isEmpty();
        assertThat(matching(rules, payment("5", "EUR"))).containsExactly("small-payments");
        assertThatThrownBy(() -> CompiledPolicy.parse("currency: euro\n" + RULES, "p.yaml")).hasMessageContaining("ISO 4217");
    }

    @Test
    void whenConditionsSeeTheArgumentsAndTheAgent() throws Exception {
        var rules = CompiledPolicy.parse("""
                rules:
                  - name: own-account
                    match: { tool: payments.transfer }
                    when: args.to == "acct-" + agent.owner && amount != null && amount < 50
                    effect: allow
                """, "test");
        var toOwner = new ActionFacts(new ActionFacts.Agent("billing-agent", "dana"), "payments.transfer", "SPEND_MONEY", "prod", null,
                null, new BigDecimal("49.99"), "EUR", JSON.readTree("{\"to\":\"acct-dana\"}"));
        var toOther = new ActionFacts(new ActionFacts.Agent("billing-agent", "dana"), "payments.transfer", "SPEND_MONEY", "prod", null,
                null, new BigDecimal("49.99"), "EUR", JSON.readTree("{\"to\":\"acct-erin\"}"));

        assertThat(matching(rules, toOwner)).containsExactly("own-account");
        assertThat(matching(rules, toOther)).isEmpty();
    }

    @Test
    void aWhenThatDoesNotCompileIsRefusedWithItsRuleAndPosition() {
        assertThatThrownBy(() -> CompiledPolicy.parse("""
                rules:
                  - name: broken
                    when: amount < "fifty" ||
                    effect: allow
                """, "p.yaml"))
                .hasMessageContaining("rule 'broken'").hasMessageContaining("does not compile at 1:");
        assertThatThrownBy(() -> CompiledPolicy.parse("""
                rules:
                  - name: not-a-condition
                    when: tool
                    effect: allow
                """, "p.yaml"))
                .hasMessageContaining("rule 'not-a-condition'");
    }

    @Test
    void aConditionSeesTheDelegationChainAndItsRoot() throws Exception {
        var rules = CompiledPolicy.parse("""
                rules:
                  - name: person-rooted
                    when: agent.rootIsPerson && agent.root == 'alice' && agent.chain == ['alice', 'orchestrator', 'billing-agent']
                    effect: allow
                  - name: through-orchestrator
                    when: "'orchestrator' in agent.chain && size(agent.chain) == 2 && agent.root == 'orchestrator'"
                    effect: deny
                  - name: direct
                    when: agent.chain == [agent.id] && agent.root == agent.id && !agent.rootIsPerson
                    effect: allow
                """, "test");
        var personRooted = chained(List.of("alice", "orchestrator", "billing-agent"), true);
        var agentRooted = chained(List.of("orchestrator", "billing-agent"), false);
        var direct = new ActionFacts(new ActionFacts.Agent("billing-agent", "dana"), "payments.transfer", "SPEND_MONEY", "prod", null,
                null, new BigDecimal("10"), "EUR", JSON.readTree("{}"));

        assertThat(matching(rules, personRooted)).containsExactly("person-rooted");
        assertThat(matching(rules, agentRooted)).containsExactly("through-orchestrator");
        assertThat(matching(rules, direct)).containsExactly("direct");
    }

    private static ActionFacts chained(List<String> chain, boolean rootIsPerson) throws Exception {
        return new ActionFacts(new ActionFacts.Agent("billing-agent", "dana", chain, rootIsPerson), "payments.transfer", "SPEND_MONEY",
                "prod", null, null, new BigDecimal("10"), "EUR", JSON.readTree("{}"));
    }

    @Test
    void aWhenThatFailsAtRunTimeNeedsAnAdminRatherThanSkippingTheRule() throws Exception {
        var policy = policy("""
                rules:
                  - name: deny-big
                    when: args.size > 10
                    effect: deny
                  - name: allow-rest
                    effect: allow
                """, List.of());
        // args.size is missing: CEL errors. Skipping deny-big would allow; the request goes to an admin instead.
        var decision = policy.evaluate(facts("files.copy", null, null, null, "{}"));

        assertThat(decision.rule()).isEqualTo(CompiledPolicy.FALLBACK_RULE);
        assertThat(decision.approvers()).containsExactly("group:admin");
        assertThat(decision.reason()).contains("deny-big");
    }

    @Test
    void aBudgetRuleReadsWhatTheAgentHadApprovedTodayAndFailsClosedWithoutIt() throws Exception {
        var policy = policy("""
                rules:
                  - name: tiny-payments
                    match: { tool: payments.transfer, amount: { lt: 50 } }
                    when: agent.approvedToday[currency] + amount <= 200.0
                    effect: allow
                  - name: the-rest
                    effect: deny
                """, List.of());
        var spent150 = new ActionFacts.History(java.util.Map.of("EUR", new BigDecimal("150.00"), "USD", new BigDecimal("500")), 6, 0,
                java.util.Map.of());

        assertThat(policy.readsHistory(payment("30", "EUR"))).isTrue();
        // Only actions a history-reading rule could match pay for reading it (and wait for the agent's other asks).
        assertThat(policy.readsHistory(payment("50", "EUR"))).isFalse();
        assertThat(policy.evaluate(withHistory(payment("30", "EUR"), spent150)).rule()).isEqualTo("tiny-payments");
        assertThat(policy.evaluate(withHistory(payment("50.01", "EUR"), spent150)).rule()).isEqualTo("the-rest");
        assertThat(policy.evaluate(withHistory(payment("49", "EUR"), ActionFacts.History.NONE)).rule()).isEqualTo("tiny-payments");
        assertThat(policy.evaluate(withHistory(payment("30", "EUR"), new ActionFacts.History(java.util.Map.of("EUR", new BigDecimal("171")), 1, 0,
                java.util.Map.of()))).rule()).isEqualTo("the-rest");
        // Asked without its history (a caller that did not read it), the rule cannot be decided: an admin decides.
        assertThat(policy.evaluate(payment("30", "EUR")).rule()).isEqualTo(CompiledPolicy.FALLBACK_RULE);
        assertThat(policy("rules:\n  - { name: a, effect: allow }\n", List.of()).readsHistory(payment("30", "EUR"))).isFalse();
    }

    @Test
    void aFatigueRuleSeesTheAgentsRecentAsksPerToolAndItsPendingOnes() throws Exception {
        var policy = policy("""
                rules:
                  - name: burst
                    match: { tool: payments.transfer }
                    when: agent.asked[tool] >= 5 || agent.pending >= 10
                    effect: approve
                    approvers: ["group:finance"]
                    quorum: 2
                    stepUp: { maxAge: 2m }
                    groupApproval: true
                  - name: the-rest
                    effect: allow
                """, List.of());
        java.util.function.BiFunction<java.util.Map<String, Long>, Long, ActionFacts.History> history = (asked, pending) ->
                new ActionFacts.History(java.util.Map.of(), 0, 0, java.util.Map.of(), asked, pending);

        assertThat(policy.readsHistory(payment("30", "EUR"))).isTrue();
        assertThat(policy.evaluate(withHistory(payment("30", "EUR"), history.apply(java.util.Map.of("payments.transfer", 5L), 0L))).rule())
                .isEqualTo("burst");
        assertThat(policy.evaluate(withHistory(payment("30", "EUR"), history.apply(java.util.Map.of("payments.transfer", 4L, "docs.read", 50L), 0L)))
                .rule()).isEqualTo("the-rest");
        // A tool it never asked for within the window counts 0, not a missing key.
        assertThat(policy.evaluate(withHistory(payment("30", "EUR"), history.apply(java.util.Map.of(), 10L))).rule()).isEqualTo("burst");
        assertThat(policy.evaluate(withHistory(payment("30", "EUR"), history.apply(java.util.Map.of(), 0L))).rule()).isEqualTo("the-rest");
        assertThat(policy.stepUp("burst")).contains(java.time.Duration.ofMinutes(2));
        assertThat(policy.stepUp("the-rest")).isEmpty();
        assertThat(policy.approvesInGroups("burst")).isTrue();
        assertThat(policy.approvesInGroups("the-rest")).isFalse();
    }

    @Test
    void stepUpAndGroupApprovalBelongToApproveRulesAndStepUpEnds() {
        assertThatThrownBy(() -> policy("rules:\n  - { name: a, effect: allow, stepUp: { maxAge: 5m } }\n", List.of()))
                .hasMessageContaining("rule 'a'").hasMessageContaining("stepUp and groupApproval only apply to approve rules");
        assertThatThrownBy(() -> policy("rules:\n  - { name: a, effect: approve, approvers: [\"group:x\"], stepUp: { maxAge: 2d } }\n",
                List.of())).hasMessageContaining("stepUp.maxAge is more than 0 and at most 1d");
    }

    private static ActionFacts withHistory(ActionFacts facts, ActionFacts.History history) {
        return facts.withHistory(history);
    }

    @Test
    void aPolicyWhoseTestsFailIsRefusedWithEveryFailure() throws Exception {
        String withTests = RULES + """
                tests:
                  - { name: docs, tool: docs.read, expect: { rule: read-docs, effect: allow } }
                  - { name: wrong, tool: payments.transfer, arguments: { amount: "5" }, expect: { rule: large-payments } }
                  - { tool: db.drop_table, expect: { effect: allow } }
                """;
        assertThatThrownBy(() -> policy(withTests, List.of("payments.transfer", "docs.read", "db.drop_table")))
                .hasMessageContaining("fails 2 of its 3 tests")
                .hasMessageContaining("test 2 'wrong': expected rule 'large-payments' but got rule 'small-payments', approve")
                .hasMessageContaining("test 3: expected allow but got rule 'no-prod-drops', deny");

        String passing = RULES + """
                tests:
                  - { tool: payments.transfer, arguments: { amount: "1000.00" }, expect: { rule: large-payments, effect: approve } }
                """;
        assertThat(policy(passing, List.of("payments.transfer")).evaluate(payment("1", "EUR")).rule()).isEqualTo("small-payments");
    }

    @Test
    void nothingMatchingNeedsOneAdmin() throws Exception {
        var policy = new CompiledPolicy(YamlDocuments.load(new DefaultResourceLoader(), "classpath:policy/unit-policy.yaml", "Policy", "p"),
                "unit-policy.yaml", catalog(List.of()), Clock.systemUTC());
        var decision = policy.evaluate(facts("infra.scale", null, "staging", null, "{}"));
        assertThat(decision.effect()).isEqualTo(Effect.APPROVE);
        assertThat(decision.rule()).isEqualTo(CompiledPolicy.FALLBACK_RULE);
        assertThat(decision.approvers()).containsExactly("group:admin");
        assertThat(decision.quorum()).isEqualTo(1);
        assertThat(decision.policyVersion()).startsWith("sha256:").isEqualTo(policy.version());
    }

    @Test
    void mistakesStopTheStartWithAClearMessage() {
        assertThatThrownBy(() -> CompiledPolicy.parse("rules:\n  - name: x\n    effect: approve\n", "p.yaml"))
                .hasMessageContaining("rule 'x'").hasMessageContaining("approvers");
        assertThatThrownBy(() -> CompiledPolicy.parse("rules:\n  - name: x\n    effect: maybe\n", "p.yaml"))
                .hasMessageContaining("allow, deny or approve");
        assertThatThrownBy(() -> CompiledPolicy.parse("rules:\n  - name: x\n    effect: approve\n    approvers: [finance]\n", "p.yaml"))
                .hasMessageContaining("group:<name>");
        assertThatThrownBy(() -> CompiledPolicy.parse("rules:\n  - name: x\n    effect: approve\n    approvers: [\"group:a\"]\n    timeout: soon\n", "p.yaml"))
                .hasMessageContaining("timeout");
        assertThatThrownBy(() -> CompiledPolicy.parse("rules:\n  - name: x\n    effect: allow\n    match: { tol: docs.read }\n", "p.yaml"))
                .hasMessageContaining("not valid");
        assertThatThrownBy(() -> YamlDocuments.load(new DefaultResourceLoader(), "classpath:nope.yaml", "Policy file",
                "countersign.policy.location"))
                .hasMessageContaining("not found").hasMessageContaining("countersign.policy.location");
    }

    @Test
    void aRuleWhoseNameReasonOrApproversCouldNotBeStoredWithARequestIsRefused() {
        // Each is written with every request the rule decides; too long, the ask's insert failed (and was retried forever).
        String longName = "n".repeat(CompiledPolicy.MAX_NAME + 1);
        assertThatThrownBy(() -> CompiledPolicy.parse("rules:\n  - name: " + longName + "\n    effect: allow\n", "p.yaml"))
                .hasMessageContaining("at most " + CompiledPolicy.MAX_NAME + " characters");
        assertThatThrownBy(() -> CompiledPolicy.parse("rules:\n  - name: x\n    effect: deny\n    reason: " + "r".repeat(CompiledPolicy.MAX_REASON + 1)
                + "\n", "p.yaml")).hasMessageContaining("reason is at most " + CompiledPolicy.MAX_REASON);
        String many = java.util.stream.IntStream.range(0, 200).mapToObj(i -> "\"group:team-number-" + i + "\"")
                .collect(java.util.stream.Collectors.joining(","));
        assertThatThrownBy(() -> CompiledPolicy.parse("rules:\n  - name: x\n    effect: approve\n    approvers: [" + many + "]\n", "p.yaml"))
                .hasMessageContaining("approvers are at most");
        assertThat(CompiledPolicy.parse("rules:\n  - name: " + "n".repeat(CompiledPolicy.MAX_NAME) + "\n    effect: deny\n    reason: "
                + "r".repeat(CompiledPolicy.MAX_REASON) + "\n", "p.yaml")).hasSize(1);
    }

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private static Rule first(List<Rule> rules, ActionFacts facts) throws Exception {
        for (Rule rule : rules) {
            if (rule.matches(facts, Instant.now())) {
                return rule;
            }
        }
        throw new AssertionError("no rule matches " + facts);
    }

    private static List<String> matching(List<Rule> rules, ActionFacts facts) throws Exception {
        List<String> names = new java.util.ArrayList<>();
        for (Rule rule : rules) {
            if (rule.matches(facts, Instant.now())) {
                names.add(rule.name());
            }
        }
        return names;
    }

    private static ActionFacts payment(String amount, String currency) {
        return facts("payments.transfer", new BigDecimal(amount), "prod", currency, "{}");
    }

    private static ActionFacts facts(String tool, BigDecimal amount, String environment, String currency, String arguments) {
        return new ActionFacts(new ActionFacts.Agent("billing-agent", "dana"), tool, "SPEND_MONEY", environment, null, null, amount,
                currency, JSON.readTree(arguments));
    }

    private static CompiledPolicy policy(String yaml, List<String> tools) {
        return new CompiledPolicy(YamlDocuments.of(yaml), "test", catalog(tools), Clock.systemUTC());
    }

    /** A catalog for these unit tests: the tools named, a payment's amount in EUR from args.amount, prod databases. */
    private static ToolCatalog catalog(List<String> tools) {
        return new ToolCatalog() {
            @Override
            public DerivedFacts derive(String tool, JsonNode arguments) {
                if (!tools.contains(tool)) {
                    throw new ApiProblem(HttpStatus.UNPROCESSABLE_CONTENT, "unknown_tool", tool);
                }
                BigDecimal amount = arguments.has("amount") ? new BigDecimal(arguments.get("amount").asString()) : null;
                return new DerivedFacts("OTHER", "PUBLIC", "prod", null, amount, amount == null ? null : "EUR", tool, "v1");
            }

            @Override
            public java.util.Optional<String> describe(String tool) {
                return java.util.Optional.empty();
            }

            @Override
            public String entryName(String tool) {
                return tool;
            }

            @Override
            public String version() {
                return "v1";
            }

            @Override
            public String source() {
                return "";
            }
        };
    }
}
