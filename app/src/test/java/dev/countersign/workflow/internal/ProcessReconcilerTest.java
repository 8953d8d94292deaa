package dev.countersign.workflow.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.countersign.Api;
import dev.countersign.EndToEndTest;
import dev.countersign.testing.Await;
import dev.countersign.testing.Processes;
import java.time.Duration;
import java.time.Instant;
import org.flowable.engine.HistoryService;
import org.flowable.engine.RuntimeService;
import org.flowable.engine.history.HistoricProcessInstance;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * The process lifecycle on embedded Flowable: a decision ends the waiting process by its message
 * (never by deletion), and a pending request whose process was lost gets a new one.
 */
@EndToEndTest
class ProcessReconcilerTest {

    @LocalServerPort
    int port;
    @Autowired
    ProcessReconciler reconciler;
    @Autowired
    RuntimeService runtime;
    @Autowired
    HistoryService history;

    Api api;
    String agent;
    Processes processes;

    @BeforeEach
    void setUp() {
        api = new Api(port);
        agent = api.token("billing-agent", "billing-agent-secret");
        processes = new Processes(runtime, history);
    }

    @Test
    void pendingRequestWhoseProcessWasLostGetsANewOne() {
        String id = api.ask(agent, Api.largePayment()).body().get("id").asString();
        // Once notify has completed, the process sits in its wait; deleting it mid-job would race the job's completion.
        Await.until(() -> "the process of " + id + " waiting for the decision", Duration.ofSeconds(10), () -> processes.waitingForDecision(id));

        runtime.createProcessInstanceQuery().processInstanceBusinessKey(id).list()
                .forEach(instance -> runtime.deleteProcessInstance(instance.getId(), "simulated loss of engine state"));
        assertThat(processes.running(id)).isFalse();

        assertThat(reconciler.reconcile(Instant.now().plusSeconds(60))).isGreaterThanOrEqualTo(1);
        Await.until(() -> "a new process for " + id, Duration.ofSeconds(10), () -> processes.running(id));
        assertThat(processes.started(id)).isEqualTo(2);

        assertThat(reconciler.reconcile(Instant.now().plusSeconds(60))).as("a running process is left alone").isZero();
        assertThat(api.vote(api.token("alice", "alice"), id, "APPROVE", null).body().get("status").asString()).isEqualTo("PENDING");
        assertThat(api.vote(api.token("bob", "bob"), id, "APPROVE", null).body().get("status").asString()).isEqualTo("APPROVED");
        Await.until(() -> "the process of " + id + " ended", Duration.ofSeconds(10), () -> !processes.running(id));
    }

    @Test
    void aDecisionEndsTheWaitingProcessThroughItsMessage() {
        String id = api.ask(agent, Api.largePayment().replace("1250.00", "99.00")).body().get("id").asString();
        Await.until(() -> "the process of " + id + " waiting for the decision", Duration.ofSeconds(10), () -> processes.waitingForDecision(id));

        assertThat(api.vote(api.token("bob", "bob"), id, "APPROVE", null).body().get("status").asString()).isEqualTo("APPROVED");
        Await.until(() -> "the process of " + id + " ended", Duration.ofSeconds(10), () -> !processes.running(id));

        HistoricProcessInstance finished = history.createHistoricProcessInstanceQuery().processInstanceBusinessKey(id).singleResult();
        assertThat(finished.getEndActivityId()).isEqualTo("closed");
        assertThat(finished.getDeleteReason()).isNull();
    }

    @Test
    void aDecisionMadeRightAfterAskingLeavesNoProcessRunning() {
        String bob = api.token("bob", "bob");
        // Voting right after asking lands before the process starts (it then never starts) or before its notify
        // job completes (DecisionCatchUp then delivers the decision): either way nothing is left running.
        String id = api.ask(agent, Api.largePayment().replace("1250.00", "98.00")).body().get("id").asString();
        assertThat(api.vote(bob, id, "APPROVE", null).body().get("status").asString()).isEqualTo("APPROVED");

        Await.until(() -> "the process of " + id + " ended", Duration.ofSeconds(30), () -> !processes.running(id));
        // The relay starts no process for a decided request, so none starts later either.
        Await.holds("no process of " + id + " started again", Duration.ofSeconds(1), () -> !processes.running(id));
        var instances = history.createHistoricProcessInstanceQuery().processInstanceBusinessKey(id).list();
        assertThat(instances).as("a process that never started, or one that started and closed").hasSizeLessThanOrEqualTo(1);
        instances.forEach(instance -> assertThat(instance.getEndActivityId()).isEqualTo("closed"));
    }
}
