package dev.countersign.actions.internal;

import dev.countersign.actions.Verdict;
import dev.countersign.catalog.DerivedFacts;
import dev.countersign.identity.Caller;
import dev.countersign.policy.ActionFacts;
import dev.countersign.policy.Policy;
import dev.countersign.policy.PolicyDecision;
import java.time.Instant;
import org.springframework.stereotype.Component;

/**
 * The verdict step of an ask: policy over the derived facts (and, for rules that budget, the
 * agent's history, read under the agent's ask lock so that racing asks cannot spend a budget
 * twice). Allowed or denied: a verdict now; otherwise the approval policy asks for.
 */
@Component
class PolicyRuling {

    private final Policy policy;
    private final AgentHistory history;
    private final io.micrometer.observation.ObservationRegistry observations;

    PolicyRuling(Policy policy, AgentHistory history, io.micrometer.observation.ObservationRegistry observations) {
        this.policy = policy;
        this.history = history;
        this.observations = observations;
    }

    /** What policy said, and the verdict it makes (null when people must decide). */
    record Ruling(PolicyDecision decision, Verdict verdict) {
    }

    /** In a span of its own inside the ask's ({@code countersign.policy}): the agent's history it read, and the rule that spoke. */
    Ruling rule(Caller.Agent agent, ActionSubmission submission, DerivedFacts facts, ActionFacts.Runtime ran, Instant now) {
        return io.micrometer.observation.Observation.createNotStarted("countersign.policy", observations)
                .observe(() -> ruled(agent, submission, facts, ran, now));
    }

    private Ruling ruled(Caller.Agent agent, ActionSubmission submission, DerivedFacts facts, ActionFacts.Runtime ran, Instant now) {
        var asked = new ActionFacts(new ActionFacts.Agent(agent.id(), agent.owner(), agent.chain(),
                agent.delegation().rootIsPerson(), ran), submission.tool(), facts.category(),
                facts.environment(), facts.dataClassification(), facts.resource(), facts.amount(), facts.currency(),
                submission.argumentsJson());
        if (policy.readsHistory(asked)) {
            history.serialise(agent.id());
            asked = asked.withHistory(history.read(agent.id(), submission.sessionId(), now));
        }
        PolicyDecision decision = policy.evaluate(asked);
        Verdict verdict = switch (decision.effect()) {
            case ALLOW -> Verdict.allowedByPolicy(decision.reason());
            case DENY -> Verdict.deniedByPolicy(decision.reason());
            case APPROVE -> null;
        };
        return new Ruling(decision, verdict);
    }

    /** The version of the policy in force, for a refusal that repeats a recent denial without asking it. */
    String policyVersion() {
        return policy.version();
    }
}
