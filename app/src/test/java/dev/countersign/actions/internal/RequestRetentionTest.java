package dev.countersign.actions.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.countersign.Api;
import dev.countersign.EndToEndBase;
import dev.countersign.EndToEndTest;
import dev.countersign.testing.MutableClock;
import dev.countersign.testing.MutableClockConfiguration;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.annotation.Import;
import org.springframework.test.context.TestPropertySource;

/**
 * Decided requests older than the retention go, with every module's rows about them; pending
 * ones stay, and the audit log keeps (and still verifies) its entries. The embedded default keeps
 * a week, so a database tried out for days does not grow without end.
 */
@EndToEndTest
@Import(MutableClockConfiguration.class)
@TestPropertySource(properties = "countersign.actions.decided-retention=2d")
class RequestRetentionTest extends EndToEndBase {

    @Autowired
    MutableClock clock;
    @Autowired
    RequestRetention retention;

    @AfterEach
    void realTime() {
        clock.reset();
    }

    @Test
    void decidedRequestsPastTheRetentionGoWithEveryRowAboutThemAndPendingOnesStay() {
        String allowed = api.ask(agent, "{\"tool\":\"docs.read\",\"arguments\":{\"doc\":\"" + UUID.randomUUID() + "\"}}").body().get("id").asString();
        String approved = api.ask(agent, Api.largePayment().replace("1250.00", "1250.55")).body().get("id").asString();
        assertThat(api.vote(person("alice"), approved, "APPROVE", null).status()).isEqualTo(200);
        assertThat(api.vote(person("bob"), approved, "APPROVE", null).status()).isEqualTo(200);
        String pending = api.ask(agent, Api.largePayment().replace("1250.00", "1250.56")).body().get("id").asString();
        List<String> decided = List.of(allowed, approved);
        assertThat(count("select count(*) from vote where request_id = ?", approved)).isEqualTo(2);
        assertThat(count("select count(*) from grant_token where request_id in (?, ?)", allowed, approved)).isEqualTo(2);
        // As if the MCP gateway had asked for it and run it: its call and outcome rows go with it.
        jdbc.sql("insert into gateway_call (request_id, agent_id, asked_at, settled) values (?, 'billing-agent', current_timestamp, true)")
                .param(approved).update();
        jdbc.sql("insert into gateway_outcome (request_id, agent_id, action_hash, is_error, result, truncated, ran_at) "
                + "values (?, 'billing-agent', 'h', false, '{}', false, current_timestamp)").param(approved).update();

        clock.advance(Duration.ofDays(1));
        assertThat(retention.purge()).as("a day later: within the retention").isZero();

        clock.advance(Duration.ofDays(2));
        assertThat(retention.purge()).isGreaterThanOrEqualTo(2);

        for (String id : decided) {
            for (String table : List.of("vote", "grant_token", "idempotency_key", "action_request_approver", "approval_notice",
                    "workflow_process_start", "slack_post", "gateway_outcome", "gateway_call")) {
                assertThat(count("select count(*) from " + table + " where request_id = ?", id)).as(table + " of " + id).isZero();
            }
            assertThat(count("select count(*) from action_request where id = ?", id)).isZero();
            assertThat(api.get(agent, "/api/v1/actions/" + id).status()).isEqualTo(404);
            assertThat(count("select count(*) from audit_entry where request_id = ?", id)).as("the audit keeps its entries").isPositive();
        }
        assertThat(api.get(agent, "/api/v1/actions/" + pending).body().get("status").asString()).isEqualTo("PENDING");
        var verified = api.get(api.token("admin", "admin"), "/api/v1/audit/verify?full=true").body();
        assertThat(verified.get("valid").asBoolean()).as(verified.toString()).isTrue();
    }
}
