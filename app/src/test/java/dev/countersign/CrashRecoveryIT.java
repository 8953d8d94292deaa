package dev.countersign;

import static org.assertj.core.api.Assertions.assertThat;

import dev.countersign.testing.AppProcess;
import dev.countersign.testing.Await;
import dev.countersign.testing.TestPostgres;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * kill -9 with 200 requests in flight on real PostgreSQL: after a restart nothing is lost (every
 * request still PENDING and listed, every process and timer there), a vote decides normally,
 * expiry timers fire, and no request is notified twice.
 */
class CrashRecoveryIT {

    @Test
    void aKilledInstanceLosesNoRequestVoteOrTimerAndNotifiesNobodyTwice() throws Exception {
        String database = TestPostgres.newDatabase();
        List<String> payments = new ArrayList<>();
        List<String> expiring = new ArrayList<>();

        var first = AppProcess.start("before-crash", database);
        var api = new Api(first.port());
        String agent = api.token("billing-agent", "billing-agent-secret");
        for (int i = 0; i < 100; i++) {
            payments.add(api.ask(agent, Api.largePayment()).body().get("id").asString());
            expiring.add(api.ask(agent, "{\"tool\":\"payments.soon\",\"arguments\":{\"n\":" + i + ",\"run\":\"" + database.hashCode() + "\"}}")
                    .body().get("id").asString());
        }
        first.kill();

        List<String> all = new ArrayList<>(payments);
        all.addAll(expiring);
        assertThat(countWithStatus(database, all, "PENDING")).isEqualTo(200);

        try (var restarted = AppProcess.start("after-crash", database)) {
            var after = new Api(restarted.port());
            String alice = after.token("alice", "alice");
            // Nothing decided or lost by the crash. The payments.soon requests expire 30 s after they were asked:
            // how many of those timers already fired depends on how long the restart took, so either state counts.
            assertThat(countWithStatus(database, payments, "PENDING")).as("payments still pending").isEqualTo(100);
            assertThat(countWithStatus(database, expiring, "PENDING") + countWithStatus(database, expiring, "EXPIRED"))
                    .as("expiring requests pending or expired, none lost").isEqualTo(100);
            assertThat(listedFor(after, alice)).containsAll(payments);

            String bob = after.token("bob", "bob");
            String one = payments.getFirst();
            assertThat(after.vote(alice, one, "APPROVE", null).body().get("status").asString()).isEqualTo("PENDING");
            assertThat(after.vote(bob, one, "APPROVE", null).body().get("status").asString()).isEqualTo("APPROVED");

            // The expiry timers, created before the crash, fire after it: every one of them, on the restarted instance.
            Await.until(() -> "every payments.soon request expired", Duration.ofSeconds(120),
                    () -> countWithStatus(database, expiring, "EXPIRED") == 100);
            assertThat(countWithStatus(database, payments, "PENDING")).isEqualTo(99);

            // A notify job the killed instance had locked is picked up again once its lock (30 s) runs out.
            Await.until(() -> "every pending request notified", Duration.ofSeconds(90), () -> notified(database, payments) == 100);
            try (Connection c = DriverManager.getConnection(database, "postgres", "")) {
                assertThat(single(c, "select count(*) from (select request_id from audit_entry where type = 'approvers.notified' "
                        + "group by request_id having count(*) > 1) twice")).as("requests notified twice").isZero();
                assertThat(single(c, "select count(*) from (select business_key_ from act_hi_procinst group by business_key_ "
                        + "having count(*) > 1) twice")).as("requests with two processes").isZero();
            }
        }
    }

    private static Set<String> listedFor(Api api, String token) {
        Set<String> ids = new HashSet<>();
        String cursor = null;
        do {
            var page = api.get(token, "/api/v1/approvals?limit=100" + (cursor == null ? "" : "&cursor=" + cursor));
            page.body().get("items").forEach(item -> ids.add(item.get("id").asString()));
            cursor = page.body().path("nextCursor").isString() ? page.body().get("nextCursor").asString() : null;
        } while (cursor != null);
        return ids;
    }

    private static long countWithStatus(String database, List<String> ids, String status) {
        try (Connection c = DriverManager.getConnection(database, "postgres", "")) {
            var statement = c.prepareStatement("select count(*) from action_request where status = ? and id = any(?)");
            statement.setString(1, status);
            statement.setArray(2, c.createArrayOf("varchar", ids.toArray()));
            var rs = statement.executeQuery();
            rs.next();
            return rs.getLong(1);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private static long notified(String database, List<String> ids) {
        try (Connection c = DriverManager.getConnection(database, "postgres", "")) {
            var statement = c.prepareStatement(
                    "select count(distinct request_id) from audit_entry where type = 'approvers.notified' and request_id = any(?)");
            statement.setArray(1, c.createArrayOf("varchar", ids.toArray()));
            var rs = statement.executeQuery();
            rs.next();
            return rs.getLong(1);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private static long single(Connection c, String sql) throws SQLException {
        var rs = c.createStatement().executeQuery(sql);
        rs.next();
        return rs.getLong(1);
    }
}
