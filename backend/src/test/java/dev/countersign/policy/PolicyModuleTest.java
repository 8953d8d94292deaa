package dev.countersign.policy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.countersign.policy.PolicyDecision.Effect;
import java.math.BigDecimal;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.modulith.test.ApplicationModuleTest;
import tools.jackson.databind.node.JsonNodeFactory;

/**
 * The policy module with the tool catalog it reads its tests' facts from: it loads the configured
 * policy, runs its tests, and decides.
 */
@ApplicationModuleTest(mode = ApplicationModuleTest.BootstrapMode.ALL_DEPENDENCIES)
class PolicyModuleTest {

    @Autowired
    Policy policy;

    @Test
    void decidesEachEffectFromTheConfiguredPolicy() {
        assertThat(policy.evaluate(facts("docs.read")).effect()).isEqualTo(Effect.ALLOW);

        PolicyDecision denied = policy.evaluate(facts("payments.refund"));
        assertThat(denied.effect()).isEqualTo(Effect.DENY);
        assertThat(denied.reason()).isEqualTo("Refunds go through the finance desk");

        PolicyDecision approval = policy.evaluate(facts("payments.transfer"));
        assertThat(approval.effect()).isEqualTo(Effect.APPROVE);
        assertThat(approval.rule()).isEqualTo("two-approvals");
        assertThat(approval.approvers()).containsExactly("group:finance");
        assertThat(approval.quorum()).isEqualTo(2);
        assertThat(approval.timeout()).isEqualTo(Duration.ofHours(1));
        assertThat(approval.policyVersion()).isEqualTo(policy.version()).isNotBlank();
    }

    @Test
    void anActionNoRuleMatchesNeedsAnAdmin() {
        PolicyDecision decision = policy.evaluate(facts("infra.restart"));

        assertThat(decision.effect()).isEqualTo(Effect.APPROVE);
        assertThat(decision.approvers()).containsExactly("group:admin");
        assertThat(decision.quorum()).isEqualTo(1);
    }

    private static ActionFacts facts(String tool) {
        return new ActionFacts(new ActionFacts.Agent("billing-agent", "dana"), tool, null, null, null, null, BigDecimal.TEN, "EUR",
                JsonNodeFactory.instance.objectNode());
    }
}
