package dev.countersign.actions.internal;

import dev.countersign.actions.ActionStatus;
import dev.countersign.actions.ActionRequest;
import dev.countersign.actions.GrantSource;
import dev.countersign.actions.VoteSource;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.springframework.stereotype.Component;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Builds the API's view of a stored request, its votes and (for its agent) its grant. */
@Component
class ActionRequestAssembler {

    private final VoteSource votes;
    private final GrantSource grants;
    private final JsonMapper json;
    private final dev.countersign.identity.Callers callers;

    ActionRequestAssembler(VoteSource votes, GrantSource grants, JsonMapper json, dev.countersign.identity.Callers callers) {
        this.callers = callers;
        this.votes = votes;
        this.grants = grants;
        this.json = json;
    }

    ActionRequest of(ActionRequestRow r) {
        return of(r, false);
    }

    ActionRequest of(ActionRequestRow r, boolean withGrant) {
        ActionRequest.Grant grant = withGrant && r.status() == ActionStatus.APPROVED ? grants.grantOf(r.id()).orElse(null) : null;
        // Decided on arrival (an approval rule needs a quorum of at least 1): nobody was asked, so there are no votes to read.
        List<ActionRequest.VoteView> cast = r.quorum() == 0 ? List.of() : votes.votesOn(r.id());
        JsonNode body = json.readTree(r.body());
        return view(r, cast, map(body.get("arguments")), map(body.get("context")), grant);
    }

    /** A request stored in this very transaction: it has no votes yet, and its arguments are at hand. */
    ActionRequest ofNew(ActionRequestRow r, ActionSubmission submission) {
        ActionRequest.Grant grant = r.status() == ActionStatus.APPROVED ? grants.grantOf(r.id()).orElse(null) : null;
        return view(r, List.of(), submission.arguments(), submission.context(), grant);
    }

    private ActionRequest view(ActionRequestRow r, List<ActionRequest.VoteView> cast, Map<String, Object> arguments,
                               Map<String, Object> context, ActionRequest.Grant grant) {
        var decision = new ActionRequest.Decision(r.decidedBy(), r.rule(), r.policyVersion(), r.catalogVersion(), r.decisionReason(), r.reasonCode(),
                r.decidedAt(), cast);
        var approval = r.quorum() > 0 ? new ActionRequest.Approval(approvers(r), r.quorum(), r.expiresAt(),
                r.holdOnApproval() ? "hold" : "run") : null;
        return new ActionRequest(r.id(), r.status(), r.agentId(), callers.agentName(r.agentId()).orElse(null), r.tool(), r.category(), r.actionHash(), arguments,
                r.resource(), r.amountValue() == null ? null : new ActionRequest.Amount(r.amountValue(), r.amountCurrency()),
                r.dataClassification(), r.environment(), r.justification(), r.sessionId(), r.onBehalfOf(), context,
                r.createdAt(), r.updatedAt(), decision, approval, grant);
    }

    static List<String> approvers(ActionRequestRow r) {
        return r.approvers() == null || r.approvers().isBlank() ? List.of() : Arrays.asList(r.approvers().split(","));
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> map(JsonNode node) {
        return node == null || node.isNull() ? null : json.convertValue(node, Map.class);
    }
}
