package dev.countersign.actions.internal;

import dev.countersign.actions.ActionStatus;
import dev.countersign.actions.ActionView;
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
class ActionViews {

    private final VoteSource votes;
    private final GrantSource grants;
    private final JsonMapper json;

    ActionViews(VoteSource votes, GrantSource grants, JsonMapper json) {
        this.votes = votes;
        this.grants = grants;
        this.json = json;
    }

    ActionView of(ActionRequestEntity r) {
        return of(r, false);
    }

    ActionView of(ActionRequestEntity r, boolean withGrant) {
        ActionView.Grant grant = withGrant && r.status() == ActionStatus.APPROVED ? grants.grantOf(r.id()).orElse(null) : null;
        return view(r, votes.votesOn(r.id()), arguments(r), grant);
    }

    /** A request stored in this very transaction: it has no votes yet, and its arguments are at hand. */
    ActionView ofNew(ActionRequestEntity r, Map<String, Object> arguments) {
        ActionView.Grant grant = r.status() == ActionStatus.APPROVED ? grants.grantOf(r.id()).orElse(null) : null;
        return view(r, List.of(), arguments, grant);
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
