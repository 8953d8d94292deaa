package dev.countersign.actions.internal;

import dev.countersign.actions.ActionStatus;
import dev.countersign.actions.ActionRequest;
import dev.countersign.grants.Grant;
import dev.countersign.grants.Grants;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.springframework.stereotype.Component;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Builds the API's view of a stored request with its votes and, for the agent that asked, its
 * grant: both read here, from the request's own vote rows and the grants module, unless the
 * caller has them in hand (it just cast the vote, or decided and issued the grant).
 */
@Component
class ActionRequestAssembler {

    private final VoteRows votes;
    private final Grants grants;
    private final JsonMapper json;
    private final dev.countersign.identity.Callers callers;

    ActionRequestAssembler(VoteRows votes, Grants grants, JsonMapper json, dev.countersign.identity.Callers callers) {
        this.callers = callers;
        this.votes = votes;
        this.grants = grants;
        this.json = json;
    }

    /** As approvers and the console see it: no grant. */
    ActionRequest of(ActionRequestRow r) {
        return of(r, votesOf(r), null);
    }

    /** As its agent sees it: with the grant of an approval. */
    ActionRequest forAgent(ActionRequestRow r) {
        return of(r, votesOf(r), r.status() == ActionStatus.APPROVED ? grants.of(r.id()).orElse(null) : null);
    }

    /** With the grant the caller has in hand (it just issued it). */
    ActionRequest of(ActionRequestRow r, Grant grant) {
        return of(r, votesOf(r), grant);
    }

    /** With the votes and grant the caller has in hand. */
    ActionRequest of(ActionRequestRow r, List<ActionRequest.VoteView> cast, Grant grant) {
        JsonNode body = json.readTree(r.body());
        return view(r, cast, map(body.get("arguments")), map(body.get("context")), grant);
    }

    /** A request stored in this very transaction: it has no votes yet, and its arguments and grant are at hand. */
    ActionRequest ofNew(ActionRequestRow r, ActionSubmission submission, Grant grant) {
        return view(r, List.of(), submission.arguments(), submission.context(), grant);
    }

    private List<ActionRequest.VoteView> votesOf(ActionRequestRow r) {
        // Decided on arrival (an approval rule needs a quorum of at least 1): nobody was asked, so there are no votes to read.
        return r.quorum() == 0 ? List.of() : votes.of(r.id());
    }

    private ActionRequest view(ActionRequestRow r, List<ActionRequest.VoteView> cast, Map<String, Object> arguments,
                               Map<String, Object> context, Grant grant) {
        var decision = new ActionRequest.Decision(r.decidedBy(), r.rule(), r.policyVersion(), r.catalogVersion(), r.decisionReason(), r.reasonCode(),
                r.decidedAt(), cast, r.standingApprovalId());
        var approval = r.quorum() > 0 ? new ActionRequest.Approval(approvers(r), r.quorum(), r.expiresAt(),
                r.holdOnApproval() ? "hold" : "run") : null;
        return new ActionRequest(r.id(), r.status(), r.agentId(), callers.agentName(r.agentId()).orElse(null), r.tool(), r.category(), r.actionHash(), arguments,
                r.resource(), r.payee(), r.amountValue() == null ? null : new ActionRequest.Amount(r.amountValue(), r.amountCurrency()),
                r.dataClassification(), r.environment(), r.justification(), r.sessionId(), r.onBehalfOf(), context,
                r.chain().isEmpty() ? null : new ActionRequest.Delegation(r.chain(), r.rootIsPerson()), runtime(r), r.createdAt(), r.updatedAt(), decision, approval, grant);
    }

    private static ActionRequest.Runtime runtime(ActionRequestRow r) {
        var ran = r.ran();
        if (ran.isEmpty()) {
            return null;
        }
        var model = ran.provider() == null && ran.model() == null && ran.version() == null ? null
                : new ActionRequest.Runtime.Model(ran.provider(), ran.model(), ran.version());
        return new ActionRequest.Runtime(model, ran.instructions(), ran.tools(), ran.corpus(), List.copyOf(new java.util.TreeSet<>(ran.attested())),
                r.runtimeChanged());
    }

    static List<String> approvers(ActionRequestRow r) {
        return approvers(r.approvers());
    }

    /** The approvers' principals as a request stores them (comma-separated). */
    static List<String> approvers(String stored) {
        return stored == null || stored.isBlank() ? List.of() : Arrays.asList(stored.split(","));
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> map(JsonNode node) {
        return node == null || node.isNull() ? null : json.convertValue(node, Map.class);
    }
}
