package dev.countersign;

import static org.assertj.core.api.Assertions.assertThat;

import dev.countersign.catalog.ToolCatalog;
import dev.countersign.policy.ActionFacts;
import dev.countersign.policy.Policy;
import java.time.Clock;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.ComponentScan;
import org.springframework.context.annotation.Configuration;
import tools.jackson.databind.json.JsonMapper;

/**
 * The demo catalog and policy that the README's first command runs with (the other tests use the
 * test policy): both load, the policy's own tests pass, and the walk-through's transfer lands on
 * the rule the README names. Only the two modules start, on the application's own configuration.
 */
@SpringBootTest(classes = DemoPolicyTest.CatalogAndPolicy.class, webEnvironment = SpringBootTest.WebEnvironment.NONE)
class DemoPolicyTest {

    @Configuration(proxyBeanMethods = false)
    @ComponentScan({"dev.countersign.catalog", "dev.countersign.policy"})
    static class CatalogAndPolicy {
        @Bean
        Clock clock() {
            return Clock.systemUTC();
        }
    }

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
        assertThat(decision.quorum()).isEqualTo(2);
        assertThat(decision.approvers()).containsExactly("group:finance");
        assertThat(policy.readsHistory(new ActionFacts(new ActionFacts.Agent("billing-agent", "dana"), "payments.transfer",
                facts.category(), facts.environment(), facts.dataClassification(), facts.resource(), new java.math.BigDecimal("10"),
                "EUR", arguments))).as("tiny-payments budgets on agent.approvedToday").isTrue();
    }
}
