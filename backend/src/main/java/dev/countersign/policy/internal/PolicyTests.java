package dev.countersign.policy.internal;

import dev.countersign.catalog.DerivedFacts;
import dev.countersign.catalog.ToolCatalog;
import dev.countersign.common.ApiProblem;
import dev.countersign.policy.ActionFacts;
import dev.countersign.policy.Policy;
import dev.countersign.policy.PolicyDecision;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import tools.jackson.databind.node.JsonNodeFactory;

/**
 * A policy's {@code tests:}: each example is asked as an agent would ask it (facts derived by the
 * catalog from its arguments, by an agent with nothing approved yet today, and with the recent asks
 * ({@code asked: {tool: n}}) and pending requests ({@code pending: n}) the example states) and must land on the
 * rule and effect it names. A policy whose tests
 * fail is refused, with every failure listed.
 */
final class PolicyTests {

    private PolicyTests() {
    }

    /** Returns how many tests passed (all of them, or this throws). */
    static int check(List<PolicyDocument.TestDocument> tests, Policy policy, ToolCatalog catalog, String location) {
        if (tests == null || tests.isEmpty()) {
            return 0;
        }
        List<String> failures = new ArrayList<>();
        for (int i = 0; i < tests.size(); i++) {
            var test = tests.get(i);
            String name = "test " + (i + 1) + (test.name() == null ? "" : " '" + test.name() + "'");
            if (test.tool() == null || test.expect() == null || (test.expect().rule() == null && test.expect().effect() == null)) {
                failures.add(name + ": needs tool and expect (rule and/or effect)");
                continue;
            }
            var arguments = test.arguments() == null ? JsonNodeFactory.instance.objectNode() : test.arguments();
            DerivedFacts facts;
            try {
                facts = catalog.derive(test.tool(), arguments);
            } catch (ApiProblem refused) {
                failures.add(name + ": the catalog refuses the call (" + refused.code() + ": " + refused.getMessage() + ")");
                continue;
            }
            PolicyDecision decision = policy.evaluate(new ActionFacts(
                    new ActionFacts.Agent(test.agent() != null ? test.agent()
                            : test.chain() != null && !test.chain().isEmpty() ? test.chain().getLast() : "test-agent", test.owner(), test.chain(),
                            Boolean.TRUE.equals(test.rootIsPerson())), test.tool(),
                    facts.category(), facts.environment(), facts.dataClassification(), facts.resource(), facts.amount(),
                    facts.currency(), arguments, new ActionFacts.History(java.util.Map.of(), 0, 0, java.util.Map.of(),
                    test.asked() == null ? java.util.Map.of() : test.asked(), test.pending() == null ? 0 : test.pending())));
            String effect = decision.effect().name().toLowerCase(Locale.ROOT);
            boolean ruleOk = test.expect().rule() == null || test.expect().rule().equals(decision.rule());
            boolean effectOk = test.expect().effect() == null || test.expect().effect().equalsIgnoreCase(effect);
            if (!ruleOk || !effectOk) {
                failures.add(name + ": expected " + expected(test.expect()) + " but got rule '" + decision.rule() + "', " + effect);
            }
        }
        if (!failures.isEmpty()) {
            throw new IllegalStateException("Policy " + location + " fails " + failures.size() + " of its " + tests.size()
                    + " tests:\n  " + String.join("\n  ", failures));
        }
        return tests.size();
    }

    private static String expected(PolicyDocument.ExpectDocument expect) {
        return (expect.rule() == null ? "" : "rule '" + expect.rule() + "'") + (expect.rule() != null && expect.effect() != null ? ", " : "")
                + (expect.effect() == null ? "" : expect.effect().toLowerCase(Locale.ROOT));
    }
}
