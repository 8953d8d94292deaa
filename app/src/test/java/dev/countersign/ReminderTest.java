package dev.countersign;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;

/** The rule's reminder is a non-interrupting BPMN timer: it reminds once and the request stays pending. */
@EndToEndTest
class ReminderTest {

    @LocalServerPort
    int port;
    @Autowired
    JdbcClient jdbc;

    @Test
    void reminderTimerRemindsApproversOnceAndLeavesTheRequestPending() throws Exception {
        var api = new Api(port);
        String agent = api.token("billing-agent", "billing-agent-secret");
        String id = api.ask(agent, "{\"tool\":\"payments.chargeback\",\"arguments\":{\"case\":\"cb-9\"}}").body().get("id").asString();

        for (int i = 0; i < 150 && count(id, "approvers.reminded") == 0; i++) {
            Thread.sleep(100);
        }
        Thread.sleep(1500);

        assertThat(count(id, "approvers.notified")).isEqualTo(1);
        assertThat(count(id, "approvers.reminded")).isEqualTo(1);
        assertThat(api.get(agent, "/api/v1/actions/" + id).body().get("status").asString()).isEqualTo("PENDING");
    }

    private long count(String id, String type) {
        return jdbc.sql("select count(*) from audit_entry where request_id = ? and type = ?").params(id, type).query(Long.class).single();
    }
}
