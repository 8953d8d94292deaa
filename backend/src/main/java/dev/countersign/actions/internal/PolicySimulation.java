package dev.countersign.actions.internal;

import dev.countersign.actions.PolicySimulator;
import dev.countersign.catalog.CatalogAdministration;
import dev.countersign.catalog.DerivedFacts;
import dev.countersign.catalog.ToolCatalog;
import dev.countersign.common.ApiProblem;
import dev.countersign.identity.Callers;
import dev.countersign.policy.ActionFacts;
import dev.countersign.policy.Policy;
import dev.countersign.policy.PolicyAdministration;
import dev.countersign.policy.PolicyDecision;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Replays stored requests against drafts: each request's arguments go through the draft catalog
 * and its facts through the draft policy, exactly as an ask would, and the outcome is compared
 * with what was decided when it arrived. Nothing is written. Budget rules see an empty day: the
 * history at the time of each request is not reconstructed.
 */
@Component
class PolicySimulation implements PolicySimulator {

    static final int MAX_REQUESTS = 10_000;
    private static final int EXAMPLES = 5;

    private final JdbcClient jdbc;
    private final JsonMapper json;
    private final Policy policyInForce;
    private final ToolCatalog catalogInForce;
    private final PolicyAdministration policies;
    private final CatalogAdministration catalogs;
    private final Callers callers;
    private final Clock clock;

    PolicySimulation(JdbcClient jdbc, JsonMapper json, Policy policyInForce, ToolCatalog catalogInForce, PolicyAdministration policies,
                     CatalogAdministration catalogs, Callers callers, Clock clock) {
        this.jdbc = jdbc;
        this.json = json;
        this.policyInForce = policyInForce;
        this.catalogInForce = catalogInForce;
        this.policies = policies;
        this.catalogs = catalogs;
        this.callers = callers;
        this.clock = clock;
    }

    private record Stored(String id, String agent, String tool, String body, String status, String decidedBy, String rule, int quorum,
                          String delegation, boolean rootIsPerson, String runtime, Boolean runtimeChanged) {
    }

    @Override
    public Simulation simulate(String policyDraft, String catalogDraft, int days) {
        if (days < 1 || days > 90) {
            throw ApiProblem.validation(List.of(new ApiProblem.FieldError("days", "must be 1 to 90")));
        }
        ToolCatalog catalog;
        Policy policy;
        try {
            catalog = catalogDraft == null ? catalogInForce : catalogs.compile(catalogDraft);
            policy = policyDraft != null ? policies.compile(policyDraft, catalog)
                    : catalogDraft != null ? policies.compile(policyInForce.source(), catalog) : policyInForce;
        } catch (IllegalStateException invalid) {
            throw new ApiProblem(HttpStatus.UNPROCESSABLE_CONTENT, "document_invalid", "The draft does not compile: " + invalid.getMessage(),
                    Map.of("problems", List.of(invalid.getMessage())));
        }
        List<Stored> stored = jdbc.sql("""
                        select id, agent_id, tool, body, status, decided_by, rule_name, quorum, delegation, root_is_person, runtime, runtime_changed
                          from action_request
                         where created_at >= ? and (reason_code is null or reason_code <> 'recently_denied')
                         order by created_at desc limit ?""")
                .params(Timestamp.from(clock.instant().minus(Duration.ofDays(days))), MAX_REQUESTS + 1)
                .query((rs, n) -> new Stored(rs.getString("id"), rs.getString("agent_id"), rs.getString("tool"), rs.getString("body"),
                        rs.getString("status"), rs.getString("decided_by"), rs.getString("rule_name"), rs.getInt("quorum"),
                        rs.getString("delegation"), rs.getBoolean("root_is_person"), rs.getString("runtime"),
                        (Boolean) rs.getObject("runtime_changed", Boolean.class)))
                .list();
        boolean truncated = stored.size() > MAX_REQUESTS;
        Map<String, Change> changes = new LinkedHashMap<>();
        int examined = 0;
        int changed = 0;
        for (Stored request : truncated ? stored.subList(0, MAX_REQUESTS) : stored) {
            examined++;
            Outcome was = new Outcome(request.rule(), effect(request));
            Outcome wouldBe = replay(request, catalog, policy);
            if (!was.equals(wouldBe)) {
                changed++;
                changes.compute(was + "→" + wouldBe, (key, change) -> change == null
                        ? new Change(was, wouldBe, 1, List.of(request.id()))
                        : new Change(was, wouldBe, change.count() + 1, change.examples().size() < EXAMPLES
                        ? append(change.examples(), request.id()) : change.examples()));
            }
        }
        List<Change> byCount = new ArrayList<>(changes.values());
        byCount.sort((a, b) -> Integer.compare(b.count(), a.count()));
        return new Simulation(days, examined, changed, truncated, byCount,
                "Each request asked again as it was sent; rules that read an agent's history see an empty day.");
    }

    private Outcome replay(Stored request, ToolCatalog catalog, Policy policy) {
        JsonNode arguments = json.readTree(request.body()).get("arguments");
        DerivedFacts facts;
        try {
            facts = catalog.derive(request.tool(), arguments);
        } catch (ApiProblem refused) {
            return new Outcome(refused.code(), "refused");
        }
        PolicyDecision decision = policy.evaluate(new ActionFacts(new ActionFacts.Agent(request.agent(),
                callers.ownerOf(request.agent()).orElse(null), dev.countersign.common.IdList.decode(request.delegation()), request.rootIsPerson(),
                new ActionFacts.Runtime(RuntimeCheck.read(request.runtime()).values(), RuntimeCheck.read(request.runtime()).attested(),
                        request.runtimeChanged())), request.tool(), facts.category(), facts.environment(),
                facts.dataClassification(), facts.resource(), facts.amount(), facts.currency(), arguments, ActionFacts.History.NONE));
        return new Outcome(decision.rule(), decision.effect().name().toLowerCase(Locale.ROOT));
    }

    /** What policy said when the request arrived: it asked approvers, or it decided (allow, deny) at once. */
    private static String effect(Stored request) {
        if (request.quorum() > 0) {
            return "approve";
        }
        return "APPROVED".equals(request.status()) ? "allow" : "deny";
    }

    private static List<String> append(List<String> list, String element) {
        List<String> longer = new ArrayList<>(list);
        longer.add(element);
        return List.copyOf(longer);
    }
}
