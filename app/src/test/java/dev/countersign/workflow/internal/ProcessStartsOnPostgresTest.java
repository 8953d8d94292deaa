package dev.countersign.workflow.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.countersign.Api;
import dev.countersign.Concurrently;
import dev.countersign.testing.Await;
import dev.countersign.testing.PostgresTest;
import dev.countersign.testing.Processes;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.flowable.engine.HistoryService;
import org.flowable.engine.RuntimeService;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The event publication registry delivers a process start at least once (again after a crash before its completion was
 * recorded, once per instance that re-delivers it); on real PostgreSQL, many deliveries of one start at the same moment
 * make one process, because each claims the start in the transaction that starts it.
 */
@PostgresTest
class ProcessStartsOnPostgresTest {

    @LocalServerPort
    int port;
    @Autowired
    ProcessStartOnce once;
    @Autowired
    RuntimeService runtime;
    @Autowired
    HistoryService history;
    @Autowired
    JdbcClient jdbc;

    Api api;
    Processes processes;

    @BeforeEach
    void setUp() {
        api = new Api(port);
        processes = new Processes(runtime, history);
    }

    @Test
    void sixteenDeliveriesOfOneStartAtOnceStartOneProcess() throws Exception {
        String agent = api.token("billing-agent", "billing-agent-secret");
        String id = api.ask(agent, Api.largePayment().replace("1250.00", "1250.71")).body().get("id").asString();
        Await.until(() -> "the process of " + id + " waiting for the decision", Duration.ofSeconds(10), () -> processes.waitingForDecision(id));
        assertThat(claims(id)).as("the first delivery's claim").isEqualTo(1);
        // Back to the moment before any delivery ran: no claim, no process (the request is still pending).
        runtime.createProcessInstanceQuery().processInstanceBusinessKey(id).list()
                .forEach(instance -> runtime.deleteProcessInstance(instance.getId(), "the test starts over"));
        jdbc.sql("delete from workflow_process_start where request_id = ?").param(id).update();
        assertThat(processes.running(id)).isFalse();
        Instant expires = Instant.now().plus(Duration.ofHours(1));
        ProcessStart start = new ProcessStart(id, ProcessStart.GUARDED_ACTION, expires, expires.plus(Duration.ofDays(1)));

        List<Boolean> claimed = Concurrently.run(16, i -> once.start(start));

        assertThat(claimed).hasSize(16).containsOnlyOnce(true);
        assertThat(claims(id)).isEqualTo(1);
        assertThat(runtime.createProcessInstanceQuery().processInstanceBusinessKey(id).count()).as("running processes").isEqualTo(1);

        assertThat(once.start(start)).as("a delivery after the claim committed").isFalse();
        assertThat(runtime.createProcessInstanceQuery().processInstanceBusinessKey(id).count()).isEqualTo(1);
    }

    private long claims(String id) {
        return jdbc.sql("select count(*) from workflow_process_start where request_id = ?").param(id).query(Long.class).single();
    }
}
