package dev.countersign.actions.internal;

import dev.countersign.actions.ActionRequest;
import dev.countersign.actions.StandingApproval;
import dev.countersign.actions.StandingApprovalEnded;
import dev.countersign.actions.StandingApprovals;
import dev.countersign.actions.StandingTerms;
import dev.countersign.actions.Verdict;
import dev.countersign.actions.Vote;
import dev.countersign.audit.AuditLog;
import dev.countersign.catalog.DerivedFacts;
import dev.countersign.common.ApiProblem;
import dev.countersign.common.ApiProblem.FieldError;
import dev.countersign.common.Globs;
import dev.countersign.common.IdList;
import dev.countersign.identity.AgentRuntime;
import dev.countersign.identity.Caller;
import dev.countersign.policy.Policy;
import dev.countersign.policy.PolicyDecision;
import dev.countersign.policy.StandingCap;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/**
 * Standing approvals: given when every approving vote of a request's quorum proposed the same
 * terms (within what its rule allows), used by later asks that policy sends to the same rule and
 * that fall within the terms, and ended when revoked, used up, expired, or when what they were
 * given for changes: the policy or catalog version, the agent's runtime, or the agent's switch.
 * Each ending is audited and announced ({@link StandingApprovalEnded}), so its approvers are told.
 */
@Component
class StandingApprovalService implements StandingApprovals {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() { };
    private static final int MAX_USES = 10_000;

    private final StandingApprovalRows rows;
    private final Policy policy;
    private final AuditLog audit;
    private final ApplicationEventPublisher events;
    private final Clock clock;

    StandingApprovalService(StandingApprovalRows rows, Policy policy, AuditLog audit, ApplicationEventPublisher events, Clock clock) {
        this.rows = rows;
        this.policy = policy;
        this.audit = audit;
        this.events = events;
        this.clock = clock;
    }

    /** A use: the verdict that approves the ask, citing the standing approval. */
    record Use(String standingApprovalId, Verdict verdict) {
    }

    /**
     * The terms an approver proposes, completed with this request's own bounds where left out (its tool, amount,
     * currency and environment) and checked against the rule's caps; a {@code 422} names each term that does not hold.
     */
    StandingTerms check(ActionRequestRow request, StandingTerms proposed) {
        List<FieldError> errors = new ArrayList<>();
        Optional<StandingCap> cap = policy.standingCap(request.rule());
        if (cap.isEmpty()) {
            throw ApiProblem.validation(List.of(new FieldError("standing", "rule '" + request.rule() + "' does not allow standing "
                    + "approvals (a rule allows them with standing: {maxAge: …} in the policy); approve this request alone")));
        }
        if (!policy.version().equals(request.policyVersion())) {
            throw ApiProblem.validation(List.of(new FieldError("standing", "the policy changed since this request was asked (it was "
                    + "decided under " + request.policyVersion() + "); approve this request alone")));
        }
        String tool = proposed.tool() == null ? request.tool() : proposed.tool().strip();
        if (!Globs.matches(tool, request.tool())) {
            errors.add(new FieldError("standing.tool", "must match this request's tool (" + request.tool() + ")"));
        }
        BigDecimal amount = request.amountValue() == null ? null : new BigDecimal(request.amountValue());
        BigDecimal atMost = plain(proposed.amountAtMost() != null ? proposed.amountAtMost() : amount);
        if (atMost != null && amount != null && atMost.compareTo(amount) < 0) {
            errors.add(new FieldError("standing.amountAtMost", "must be at least this request's amount (" + amount.toPlainString() + ")"));
        }
        if (atMost != null && amount == null) {
            errors.add(new FieldError("standing.amountAtMost", "this request has no amount to bound"));
        }
        String environment = proposed.environment() != null ? proposed.environment().strip() : request.environment();
        if (environment != null && request.environment() != null && !environment.equalsIgnoreCase(request.environment())) {
            errors.add(new FieldError("standing.environment", "must be this request's environment (" + request.environment() + ")"));
        }
        String resource = proposed.resource() == null ? null : proposed.resource().strip();
        if (resource != null && !Globs.matches(resource, request.resource())) {
            errors.add(new FieldError("standing.resource", "must match this request's resource (" + request.resource() + ")"));
        }
        Integer uses = proposed.uses() != null ? proposed.uses() : cap.get().maxUses();
        if (uses != null && (uses < 1 || uses > MAX_USES)) {
            errors.add(new FieldError("standing.uses", "must be between 1 and " + MAX_USES));
        } else if (uses != null && cap.get().maxUses() != null && uses > cap.get().maxUses()) {
            errors.add(new FieldError("standing.uses", "rule '" + request.rule() + "' allows at most " + cap.get().maxUses()));
        }
        BigDecimal budget = plain(proposed.budget());
        if (budget != null && (budget.signum() <= 0 || amount == null)) {
            errors.add(new FieldError("standing.budget", amount == null ? "this request has no amount to budget"
                    : "must be a positive amount in " + request.amountCurrency()));
        }
        if (uses == null && budget == null) {
            errors.add(new FieldError("standing.uses", "give a count (uses) and/or a budget: a standing approval must run out"));
        }
        Duration expiresIn = proposed.expiresIn();
        if (expiresIn == null || expiresIn.isNegative() || expiresIn.isZero()) {
            errors.add(new FieldError("standing.expiresIn", "is required: how long it stands (e.g. 8h)"));
        } else if (expiresIn.compareTo(cap.get().maxAge()) > 0) {
            errors.add(new FieldError("standing.expiresIn", "rule '" + request.rule() + "' allows at most " + cap.get().maxAge()));
        }
        if (!errors.isEmpty()) {
            throw ApiProblem.validation(errors);
        }
        return new StandingTerms(tool, atMost, environment, resource, uses, budget, expiresIn);
    }

    /**
     * Given once the quorum approved, when every approving vote proposed the same terms; otherwise the request is
     * approved alone (audited, so that approvers who proposed terms see why none stands).
     */
    @Transactional(propagation = Propagation.MANDATORY)
    Optional<String> giveIfAgreed(ActionRequestRow request, List<ActionRequest.VoteView> votes, Instant now) {
        List<ActionRequest.VoteView> approving = votes.stream().filter(vote -> vote.vote() == Vote.APPROVE).toList();
        List<StandingTerms> proposed = approving.stream().map(ActionRequest.VoteView::standing).toList();
        if (proposed.stream().allMatch(Objects::isNull)) {
            return Optional.empty();
        }
        if (proposed.stream().anyMatch(Objects::isNull) || proposed.stream().distinct().count() > 1) {
            audit.record("standing.not_given", "countersign", request.id(), Map.of("reason",
                    "the approving votes did not all propose the same standing terms; the request was approved alone"));
            return Optional.empty();
        }
        StandingTerms terms = proposed.getFirst();
        String id = dev.countersign.common.Ids.random("sa");
        List<String> approvedBy = approving.stream().map(ActionRequest.VoteView::approver).toList();
        rows.insert(new StandingApprovalRows.Row(id, request.id(), request.agentId(),
                request.chain().isEmpty() ? null : IdList.encode(request.chain()), request.rule(), request.approvers(),
                IdList.encode(approvedBy), terms.tool(), terms.amountAtMost(), request.amountCurrency(), terms.environment(),
                terms.resource(), terms.uses(), terms.budget(), 0, BigDecimal.ZERO, request.policyVersion(), request.catalogVersion(),
                RuntimeCheck.stored(request.ran()), now, now.plus(terms.expiresIn()), "ACTIVE", null, null, null));
        Map<String, Object> data = new LinkedHashMap<>(termsMap(terms));
        data.put("id", id);
        data.put("approvedBy", approvedBy);
        audit.record("standing.created", String.join(",", approvedBy), request.id(), data);
        return Optional.of(id);
    }

    /**
     * An ask that policy sends to people under a rule with standing approvals: the first of the agent's active ones
     * whose terms cover it approves it at once, counted race-safe; one whose policy, catalog or runtime pin no longer
     * holds is voided on the way. Empty when none covers it (people are asked).
     */
    @Transactional(propagation = Propagation.MANDATORY)
    Optional<Use> use(Caller.Agent agent, ActionRequestRow request, DerivedFacts facts, PolicyDecision decision, AgentRuntime ran,
                      Instant now) {
        String chain = agent.delegation().delegated() ? IdList.encode(agent.chain()) : null;
        for (StandingApprovalRows.Row standing : rows.activeOf(agent.id())) {
            String stale = staleBecause(standing, decision, facts, ran);
            if (stale != null) {
                end(standing, "VOIDED", "countersign", stale, now);
                continue;
            }
            if (!standing.expiresAt().isAfter(now)) {
                end(standing, "EXPIRED", "countersign", "Expired at " + standing.expiresAt(), now);
                continue;
            }
            if (!covers(standing, chain, request, decision, facts)) {
                continue;
            }
            BigDecimal amount = facts.amount() == null ? BigDecimal.ZERO : facts.amount();
            if (rows.use(standing.id(), amount, now)) {
                rows.usedUpIfSo(standing.id(), now);
                int used = standing.used() + 1;
                String reason = "Approved by standing approval " + standing.id() + " (given by " + String.join(", ",
                        IdList.decode(standing.approvedBy())) + "; " + (standing.maxUses() == null ? "" : "use " + used + " of "
                        + standing.maxUses() + "; ") + "until " + standing.expiresAt() + ")";
                audit.record("standing.used", "countersign", request.id(), Map.of("id", standing.id()));
                return Optional.of(new Use(standing.id(), Verdict.approvedByStanding(standing.id(), reason)));
            }
        }
        return Optional.empty();
    }

    /** Every active standing approval of an agent switched off ends with it, and those of chains that name it. */
    @Transactional(propagation = Propagation.MANDATORY)
    void voidAllOf(String agentId, String admin) {
        Instant now = clock.instant();
        rows.activeNaming(agentId).forEach(standing -> end(standing, "VOIDED", admin, "Agent '" + agentId + "' was switched off", now));
    }

    /**
     * A new policy version voids, at once, every standing approval given under another one (an ask would find it stale
     * anyway; this way its approvers hear of it now). After the activation committed, in a transaction of its own.
     */
    @org.springframework.context.event.EventListener
    @Transactional
    void onPolicyActivated(dev.countersign.policy.PolicyActivated activated) {
        Instant now = clock.instant();
        rows.activeNotUnder("policy_version", activated.version()).forEach(standing -> end(standing, "VOIDED", activated.by(),
                "The policy changed (" + standing.policyVersion() + " → " + activated.version() + ", activated by " + activated.by() + ")", now));
    }

    @org.springframework.context.event.EventListener
    @Transactional
    void onCatalogActivated(dev.countersign.catalog.CatalogActivated activated) {
        Instant now = clock.instant();
        rows.activeNotUnder("catalog_version", activated.version()).forEach(standing -> end(standing, "VOIDED", activated.by(),
                "The tool catalog changed (" + standing.catalogVersion() + " → " + activated.version() + ", activated by "
                        + activated.by() + ")", now));
    }

    @Override
    public List<StandingApproval> visibleTo(Caller.Approver approver, boolean activeOnly) {
        var principals = approver.principals();
        return rows.newest(activeOnly, 500).stream()
                .filter(row -> approver.isAdmin() || ActionRequestAssembler.approvers(row.approvers()).stream().anyMatch(principals::contains))
                .map(StandingApprovalService::view).toList();
    }

    @Override
    public Optional<StandingApproval> givenWith(String requestId) {
        return rows.givenWith(requestId).map(StandingApprovalService::view);
    }

    @Override
    @Transactional
    public StandingApproval revoke(Caller.Approver approver, String id, String comment) {
        var standing = rows.find(id).orElseThrow(() -> ApiProblem.notFound("Standing approval " + id));
        var principals = approver.principals();
        if (!approver.isAdmin() && ActionRequestAssembler.approvers(standing.approvers()).stream().noneMatch(principals::contains)) {
            throw new ApiProblem(HttpStatus.FORBIDDEN, "not_eligible", "Only an approver of its rule (" + standing.approvers()
                    + ") or an admin may revoke it");
        }
        String note = comment == null || comment.isBlank() ? "" : ": " + comment.strip();
        if (!end(standing, "REVOKED", approver.id(), "Revoked by " + approver.id() + note, clock.instant())) {
            throw new ApiProblem(HttpStatus.CONFLICT, "not_pending", "Standing approval " + id + " has already ended ("
                    + rows.find(id).map(StandingApprovalRows.Row::status).orElse("?") + ")");
        }
        return rows.find(id).map(StandingApprovalService::view).orElseThrow();
    }

    /** Why it no longer applies at all, or null: what it was pinned to changed. */
    private static String staleBecause(StandingApprovalRows.Row standing, PolicyDecision decision, DerivedFacts facts, AgentRuntime ran) {
        if (!standing.policyVersion().equals(decision.policyVersion())) {
            return "The policy changed (" + standing.policyVersion() + " → " + decision.policyVersion() + ")";
        }
        if (!standing.catalogVersion().equals(facts.catalogVersion())) {
            return "The tool catalog changed (" + standing.catalogVersion() + " → " + facts.catalogVersion() + ")";
        }
        if (!RuntimeCheck.read(standing.runtime()).sameAs(ran)) {
            return "The agent's runtime changed (" + describe(RuntimeCheck.read(standing.runtime())) + " → " + describe(ran) + ")";
        }
        return null;
    }

    private static boolean covers(StandingApprovalRows.Row standing, String chain, ActionRequestRow request, PolicyDecision decision,
                                  DerivedFacts facts) {
        return Objects.equals(standing.delegation(), chain)
                && standing.rule().equals(decision.rule())
                && Globs.matches(standing.toolGlob(), request.tool())
                && (standing.amountAtMost() == null || (facts.amount() != null && Objects.equals(standing.currency(), facts.currency())
                        && facts.amount().compareTo(standing.amountAtMost()) <= 0))
                && (standing.budget() == null || (facts.amount() != null && Objects.equals(standing.currency(), facts.currency())))
                && (standing.environment() == null || standing.environment().equalsIgnoreCase(Objects.toString(facts.environment(), "")))
                && (standing.resourcePattern() == null || Globs.matches(standing.resourcePattern(), facts.resource()));
    }

    private boolean end(StandingApprovalRows.Row standing, String status, String by, String reason, Instant now) {
        if (!rows.end(standing.id(), status, by, reason, now)) {
            return false;
        }
        audit.record("standing." + status.toLowerCase(Locale.ROOT), by, standing.requestId(), Map.of("id", standing.id(), "reason", reason));
        events.publishEvent(new StandingApprovalEnded(standing.id(), standing.requestId(), status, reason, standing.agentId(),
                IdList.decode(standing.approvedBy())));
        return true;
    }

    private static String describe(AgentRuntime runtime) {
        return runtime.isEmpty() ? "none stated" : String.join(", ", runtime.values().values());
    }

    static StandingApproval view(StandingApprovalRows.Row row) {
        return new StandingApproval(row.id(), row.status(), row.requestId(), row.agentId(), IdList.decode(row.delegation()), row.rule(),
                ActionRequestAssembler.approvers(row.approvers()), IdList.decode(row.approvedBy()), row.toolGlob(), row.amountAtMost(),
                row.currency(), row.environment(), row.resourcePattern(), row.maxUses(), row.used(), row.budget(), row.spent(),
                row.policyVersion(), row.catalogVersion(), row.createdAt(), row.expiresAt(), row.endedAt(), row.endedBy(), row.endReason());
    }

    /** The terms as a vote row keeps them (JSON), and back. */
    static String termsJson(StandingTerms terms) {
        return terms == null ? null : JSON.writeValueAsString(termsMap(terms));
    }

    static StandingTerms terms(String json) {
        if (json == null) {
            return null;
        }
        Map<String, Object> read = JSON.readValue(json, MAP);
        return new StandingTerms((String) read.get("tool"), decimal(read.get("amountAtMost")), (String) read.get("environment"),
                (String) read.get("resource"), read.get("uses") == null ? null : ((Number) read.get("uses")).intValue(),
                decimal(read.get("budget")), read.get("expiresIn") == null ? null : Duration.parse((String) read.get("expiresIn")));
    }

    private static Map<String, Object> termsMap(StandingTerms terms) {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("tool", terms.tool());
        putIf(map, "amountAtMost", terms.amountAtMost() == null ? null : terms.amountAtMost().toPlainString());
        putIf(map, "environment", terms.environment());
        putIf(map, "resource", terms.resource());
        putIf(map, "uses", terms.uses());
        putIf(map, "budget", terms.budget() == null ? null : terms.budget().toPlainString());
        putIf(map, "expiresIn", terms.expiresIn() == null ? null : terms.expiresIn().toString());
        return map;
    }

    private static void putIf(Map<String, Object> map, String key, Object value) {
        if (value != null) {
            map.put(key, value);
        }
    }

    /** 50, 50.0 and 50.00 are one amount: two approvers proposing them propose the same terms. */
    private static BigDecimal plain(BigDecimal amount) {
        return amount == null ? null : amount.stripTrailingZeros();
    }

    private static BigDecimal decimal(Object value) {
        return value == null ? null : new BigDecimal(value.toString());
    }
}
