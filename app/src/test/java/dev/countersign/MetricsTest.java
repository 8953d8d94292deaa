package dev.countersign;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.countersign.testing.Scrape;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * What an operator's Prometheus reads (docs/operations.md, "Metrics"): who may read it, and that each indicator moves as
 * one ask → wait → vote → redeem implies. The rule {@code metered} is this test's alone, so its series move by exactly
 * what this test does; series other tests share are checked to have moved at least as much.
 */
@EndToEndTest
class MetricsTest extends EndToEndBase {

    private String scraper() {
        return api.token("prometheus", "prometheus-secret");
    }

    private Scrape scrape() {
        var scraped = api.get(scraper(), "/actuator/prometheus");
        assertThat(scraped.status()).isEqualTo(200);
        assertThat(scraped.contentType()).startsWith("text/plain");
        return Scrape.of(scraped.raw().body());
    }

    private static String meteredPayment() {
        return """
                {"tool":"payments.metered","arguments":{"amount":"42.00","currency":"EUR","from_account":"acct-ops",
                 "to_account":"acct-metered-%s"},"justification":"metrics test"}""".formatted(UUID.randomUUID());
    }

    @Test
    void onlyAdminsAndConfiguredScrapersReadTheMetrics() {
        assertThat(api.get(null, "/actuator/prometheus").status()).isEqualTo(401);
        assertThat(api.get(agent, "/actuator/prometheus").status()).isEqualTo(403);
        assertThat(api.get(person("alice"), "/actuator/prometheus").status()).isEqualTo(403);
        assertThat(api.get(person("admin"), "/actuator/prometheus").status()).isEqualTo(200);
        assertThat(api.get(scraper(), "/actuator/prometheus").status()).isEqualTo(200);
        // A scraper's token reads metrics and nothing else: not the rest of the actuator, not the API.
        assertThat(api.get(scraper(), "/actuator/info").status()).isEqualTo(403);
        assertThat(api.get(scraper(), "/api/v1/approvals").status()).isIn(401, 403);
        assertThat(api.ask(scraper(), meteredPayment()).status()).isIn(401, 403);
    }

    @Test
    void healthShowsItsComponentsToAnAdminOnly() {
        var anonymous = api.get(null, "/actuator/health");
        assertThat(anonymous.status()).isEqualTo(200);
        assertThat(anonymous.body().get("status").asString()).isEqualTo("UP");
        assertThat(anonymous.body().has("components")).isFalse();
        assertThat(api.get(agent, "/actuator/health").body().has("components")).isFalse();

        var admin = api.get(person("admin"), "/actuator/health");
        assertThat(admin.status()).isEqualTo(200);
        assertThat(admin.body().get("components").propertyNames())
                .contains("database", "decisionListener", "workflowEngine", "mcpGateway", "slack");
        assertThat(admin.body().at("/components/database/status").asString()).isEqualTo("UP");
        assertThat(admin.body().at("/components/workflowEngine/status").asString()).isEqualTo("UP");
        // Probes stay as load balancers and Kubernetes read them.
        assertThat(api.get(null, "/actuator/health/readiness").body().get("status").asString()).isEqualTo("UP");
        assertThat(api.get(null, "/actuator/health/liveness").body().get("status").asString()).isEqualTo("UP");
    }

    @Test
    void anAskThatWaitsForPeopleMovesEachIndicatorAsTheFlowImplies() {
        Scrape before = scrape();
        double votesBefore = before.sum("countersign_votes_total", "vote", "approve", "channel", "api");
        double redeemedBefore = before.sum("countersign_grants_redemptions_total", "outcome", "redeemed");
        double refusedBefore = before.sum("countersign_grants_redemptions_total", "outcome", "already_redeemed");
        // Other tests here ask under the rule too, and leave nothing waiting under it: this flow moves each by one.
        double askedBefore = before.sum("countersign_requests_asked_total", "rule", "metered", "outcome", "pending");
        double noticesBefore = before.sum("countersign_approvals_notices_total", "kind", "requested", "rule", "metered");
        String[] decision = {"rule", "metered", "outcome", "approved", "decided_by", "approvers", "channel", "api"};
        double decidedBefore = before.sum("countersign_requests_decision_seconds_count", decision);
        assertThat(before.sum("countersign_requests_pending", "rule", "metered")).isZero();

        var asked = api.ask(agent, meteredPayment());
        assertThat(asked.status()).isEqualTo(201);
        assertThat(asked.body().get("status").asString()).isEqualTo("PENDING");
        String id = asked.body().get("id").asString();

        await("the ask waiting under its rule, its approvers told").atMost(Duration.ofSeconds(20)).until(() -> {
            Scrape now = scrape();
            return List.of(now.sum("countersign_requests_pending", "rule", "metered"),
                    now.sum("countersign_approvals_notices_total", "kind", "requested", "rule", "metered"));
        }, List.of(1.0, noticesBefore + 1)::equals);
        Scrape waiting = scrape();
        // The tool is labelled by its catalog entry (a glob covers as many tool names as agents care to spell).
        assertThat(waiting.series("countersign_requests_asked_total", "rule", "metered", "outcome", "pending")).singleElement()
                .satisfies(series -> {
                    assertThat(series.labels()).containsEntry("tool", "payments.*");
                    assertThat(series.value()).isEqualTo(askedBefore + 1);
                });

        var voted = api.vote(person("alice"), id, "APPROVE", "metered");
        assertThat(voted.body().get("status").asString()).isEqualTo("APPROVED");
        var decided = api.get(agent, "/api/v1/actions/" + id);
        String grant = decided.body().at("/grant/token").asString();
        String gateway = api.token("tool-gateway", "tool-gateway-secret");
        assertThat(api.redeem(gateway, grant, decided.body().get("actionHash").asString()).status()).isEqualTo(200);
        assertThat(api.redeem(gateway, grant, decided.body().get("actionHash").asString()).status()).isEqualTo(409);

        await("nothing waiting under the rule").atMost(Duration.ofSeconds(20))
                .until(() -> scrape().sum("countersign_requests_pending", "rule", "metered"), left -> left == 0);
        Scrape after = scrape();
        assertThat(after.sum("countersign_requests_decision_seconds_count", decision)).isEqualTo(decidedBefore + 1);
        assertThat(after.sum("countersign_requests_decision_seconds_sum", decision)).isPositive();
        // A histogram, so that p95 can be computed across instances: its largest bucket holds the one decision.
        var buckets = after.series("countersign_requests_decision_seconds_bucket", decision);
        assertThat(buckets).hasSizeGreaterThan(5);
        assertThat(buckets).filteredOn(bucket -> "+Inf".equals(bucket.labels().get("le"))).singleElement()
                .extracting(Scrape.Sample::value).isEqualTo(decidedBefore + 1);
        assertThat(after.sum("countersign_votes_total", "vote", "approve", "channel", "api")).isGreaterThanOrEqualTo(votesBefore + 1);
        assertThat(after.sum("countersign_grants_redemptions_total", "outcome", "redeemed")).isGreaterThanOrEqualTo(redeemedBefore + 1);
        assertThat(after.sum("countersign_grants_redemptions_total", "outcome", "already_redeemed"))
                .isGreaterThanOrEqualTo(refusedBefore + 1);
        assertThat(after.sum("countersign_requests_expired_total", "rule", "metered")).isZero();
        // The audit chain keeps up: nothing committed stays unchained.
        await("the audit chain caught up").atMost(Duration.ofSeconds(20))
                .until(() -> scrape().sum("countersign_audit_unchained") == 0);
    }

    /** What Countersign exports under its own name is in docs/operations.md's table (the dashboard's test reads the same). */
    @Test
    void everyCountersignMetricIsDocumented() throws Exception {
        var documented = new java.util.TreeSet<String>();
        var row = java.util.regex.Pattern.compile("^\\| `(countersign_[a-z_]+)`", java.util.regex.Pattern.MULTILINE)
                .matcher(java.nio.file.Files.readString(java.nio.file.Path.of("../docs/operations.md")));
        while (row.find()) {
            documented.add(row.group(1));
        }
        api.vote(person("bob"), api.ask(agent, meteredPayment()).body().get("id").asString(), "DENY", "for the table");
        var exported = await("the ask's and the vote's metrics").atMost(Duration.ofSeconds(20)).until(() -> scrape().names().stream()
                .filter(name -> name.startsWith("countersign_"))
                .map(name -> name.replaceAll("_(bucket|count|sum|max)$", "").replaceAll("_active_seconds$", "_seconds"))
                .collect(java.util.stream.Collectors.toCollection(java.util.TreeSet::new)),
                names -> names.containsAll(List.of("countersign_requests_asked_total", "countersign_votes_total",
                        "countersign_requests_decision_seconds", "countersign_vote_seconds")));
        assertThat(exported).contains("countersign_requests_pending", "countersign_policy_seconds",
                "countersign_audit_unchained", "countersign_audit_lag_seconds", "countersign_database_refusals_total",
                "countersign_ask_seconds");
        assertThat(documented).containsAll(exported);
    }

    @Test
    void noLabelCarriesARequestIdOrAnArgument() {
        var asked = api.ask(agent, meteredPayment());
        String id = asked.body().get("id").asString();
        Scrape scrape = scrape();
        assertThat(scrape.samples()).isNotEmpty();
        assertThat(scrape.samples()).allSatisfy(sample -> assertThat(sample.labels().values())
                .noneMatch(value -> value.contains(id) || value.contains("acct-metered")));
        api.vote(person("bob"), id, "DENY", "cleaning up");
    }
}
