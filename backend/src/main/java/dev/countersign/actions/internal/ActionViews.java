package dev.countersign.actions.internal;

import dev.countersign.actions.ActionStatus;
import dev.countersign.actions.ActionView;
import dev.countersign.grants.Grants;
import dev.countersign.grants.IssuedGrant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.springframework.stereotype.Component;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Builds the API's view of a stored request, its votes and (for its agent) its grant. */
@Component
class ActionViews {

    private final VoteRepository votes;
    private final Grants grants;
    private final JsonMapper json;

    ActionViews(VoteRepository votes, Grants grants, JsonMapper json) {
        this.votes = votes;
        this.grants = grants;
        this.json = json;
    }

    ActionView of(ActionRequestEntity r) {
        return of(r, false);
    }

    ActionView of(ActionRequestEntity r, boolean withGrant) {
        List<ActionView.VoteView> cast = votes.findByRequestIdOrderByCastAt(r.id()).stream()
                .map(v -> new ActionView.VoteView(v.approver(), v.vote(), v.comment(), v.channel(), v.castAt()))
                .toList();
        ActionView.Grant grant = withGrant && r.status() == ActionStatus.APPROVED
                ? grants.forRequest(r.id()).map(g -> new ActionView.Grant(g.token(), g.expiresAt())).orElse(null)
                : null;
        return view(r, cast, arguments(r), grant);
    }

    /** A request stored in this very transaction: it has no votes, and its grant (if any) was just issued. */
    ActionView ofNew(ActionRequestEntity r, Map<String, Object> arguments, IssuedGrant issued) {
        return view(r, List.of(), arguments, issued == null ? null : new ActionView.Grant(issued.token(), issued.expiresAt()));
    }

    private ActionView view(ActionRequestEntity r, List<ActionView.VoteView> cast, Map<String, Object> arguments, ActionView.Grant grant) {
        var decision = new ActionView.Decision(r.decidedBy(), r.rule(), r.policyVersion(), r.decisionReason(), r.reasonCode(),
                r.decidedAt(), cast);
        var approval = r.quorum() > 0 ? new ActionView.Approval(approvers(r), r.quorum(), r.expiresAt()) : null;
        return new ActionView(r.id(), r.status(), r.agentId(), r.tool(), r.category(), r.actionHash(), arguments,
                r.resource(), r.amountValue() == null ? null : new ActionView.Amount(r.amountValue(), r.amountCurrency()),
                r.dataClassification(), r.environment(), r.justification(), r.sessionId(), r.onBehalfOf(),
                r.createdAt(), r.updatedAt(), decision, approval, grant);
    }

    static List<String> approvers(ActionRequestEntity r) {
        return r.approvers() == null || r.approvers().isBlank() ? List.of() : Arrays.asList(r.approvers().split(","));
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> arguments(ActionRequestEntity r) {
        JsonNode body = json.readTree(r.body());
        return json.convertValue(body.get("arguments"), Map.class);
    }
}
