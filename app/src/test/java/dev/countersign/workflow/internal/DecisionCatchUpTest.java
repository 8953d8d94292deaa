package dev.countersign.workflow.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.countersign.Api;
import dev.countersign.EndToEndBase;
import dev.countersign.EndToEndTest;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Decisions whose delivery to the engine was lost (made while the database or the engine was
 * away, or long ago) still end their processes, however many: several pages of the catch-up,
 * decided ten minutes ago (outside the two-minute window the catch-up once had).
 */
@EndToEndTest
class DecisionCatchUpTest extends EndToEndBase {

    @Test
    void everyRunningProcessOfADecidedRequestEndsHoweverManyAndHoweverOld() {
        int count = 70; // several pages of the catch-up (countersign.workflow.catch-up-page is 20 in the tests)
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            ids.add(api.ask(agent, Api.largePayment()).body().get("id").asString());
        }
        await("every process waits for its decision").atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofSeconds(1))
                .until(() -> ids.stream().allMatch(processes::waitingForDecision));

        // Decided behind the engine's back, as a decision whose delivery was lost: no event, no message.
        Timestamp tenMinutesAgo = Timestamp.from(Instant.now().minus(Duration.ofMinutes(10)));
        for (String id : ids) {
            jdbc.sql("update action_request set status = 'DENIED', decided_by = 'APPROVERS', decided_at = ?, reason_code = 'denied' "
                    + "where id = ?").params(tenMinutesAgo, id).update();
            jdbc.sql("delete from pending_action where request_id = ?").param(id).update();
        }

        await("every process ends").atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofSeconds(1)).until(() -> ids.stream().noneMatch(processes::running));
    }
}
