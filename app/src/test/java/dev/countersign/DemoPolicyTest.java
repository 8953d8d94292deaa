package dev.countersign;

import static org.assertj.core.api.Assertions.assertThat;

import dev.countersign.catalog.ToolCatalog;
import dev.countersign.policy.ActionFacts;
import dev.countersign.policy.Policy;
import dev.countersign.policy.PolicyAdministration;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import tools.jackson.databind.json.JsonMapper;

/**
 * What the README's first command runs: the application on its own configuration (the demo
 * catalog and policy; the other tests use the test ones), here on an in-memory database. It
 * starts, the demo policy's own tests pass, both documents are version 1, and the walk-through's
 * transfer lands on the rule the README names.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = "spring.datasource.url=jdbc:h2:mem:demo-${random.uuid};DB_CLOSE_DELAY=-1")
class DemoPolicyTest {

    @Autowired
    ToolCatalog catalog;
    @Autowired
    Policy policy;

    @Test
    void theReadmeTransferNeedsTwoFinanceApprovals() {
        var arguments = JsonMapper.builder().build().readTree("""
                {"from":"acct-ops","to":"acct-vendor-17","amount":"1250.00"}""");
        var facts = catalog.derive("payments.transfer", arguments);

        var decision = policy.evaluate(new ActionFacts(new ActionFacts.Agent("billing-agent", "dana"), "payments.transfer",
                facts.category(), facts.environment(), facts.dataClassification(), facts.resource(), facts.amount(), facts.currency(),
                arguments, ActionFacts.History.NONE));

        assertThat(decision.rule()).isEqualTo("large-payments");
        assertThat(((PolicyAdministration) policy).active()).get().extracting(active -> active.version().number()).isEqualTo(1);
        assertThat(((PolicyAdministration) policy).source()).contains("name: tiny-payments");
        assertThat(decision.quorum()).isEqualTo(2);
        assertThat(decision.approvers()).containsExactly("group:finance");
        assertThat(policy.readsHistory(new ActionFacts(new ActionFacts.Agent("billing-agent", "dana"), "payments.transfer",
                facts.category(), facts.environment(), facts.dataClassification(), facts.resource(), new java.math.BigDecimal("10"),
                "EUR", arguments))).as("tiny-payments budgets on agent.approvedToday").isTrue();
    }
}
