package dev.countersign;

import static org.assertj.core.api.Assertions.assertThat;

import dev.countersign.testing.Await;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

/** The rule's reminder is a non-interrupting BPMN timer: it reminds once and the request stays pending. */
@EndToEndTest
class ReminderTest extends EndToEndBase {

    @Test
    void reminderTimerRemindsApproversOnceAndLeavesTheRequestPending() throws Exception {
        String id = api.ask(agent, "{\"tool\":\"payments.chargeback\",\"arguments\":{\"case\":\"cb-9\"}}").body().get("id").asString();

        Await.until(() -> "a reminder for " + id, Duration.ofSeconds(15), () -> audited(id, "approvers.reminded") > 0);
        Await.holds("no second reminder or notice", Duration.ofMillis(1500),
                () -> audited(id, "approvers.reminded") == 1 && audited(id, "approvers.notified") == 1);

        assertThat(audited(id, "approvers.notified")).isEqualTo(1);
        assertThat(audited(id, "approvers.reminded")).isEqualTo(1);
        assertThat(api.get(agent, "/api/v1/actions/" + id).body().get("status").asString()).isEqualTo("PENDING");
    }

    private long audited(String id, String type) {
        return count("select count(*) from audit_entry where request_id = ? and type = ?", id, type);
    }
}
