package dev.countersign.actions.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.countersign.workflow.WorkflowEngine;
import java.time.Instant;
import java.util.function.BooleanSupplier;
import org.flowable.engine.RuntimeService;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import dev.countersign.Api;
import dev.countersign.EndToEndTest;
import org.springframework.boot.test.web.server.LocalServerPort;

/** Engine state lost for a pending request: the reconciler gives it a process again, and voting still decides it. */
@EndToEndTest
class ProcessReconcilerTest {

    @LocalServerPort
    int port;
    @Autowired
    ProcessReconciler reconciler;
    @Autowired
    WorkflowEngine engine;
    @Autowired
    RuntimeService runtime;
    @Autowired
    org.flowable.engine.HistoryService history;


    @Test
    void pendingRequestWhoseProcessWasLostGetsANewOne() throws Exception {
        var api = new Api(port);
        String agent = api.token("billing-agent", "billing-agent-secret");
        String id = api.ask(agent, Api.largePayment()).body().get("id").asString();
        // Once notify has completed, the process sits in its wait; deleting it mid-job would race the job's completion.
        await(() -> waitingForDecision(id));

        runtime.createProcessInstanceQuery().processInstanceBusinessKey(id).list()
                .forEach(instance -> runtime.deleteProcessInstance(instance.getId(), "simulated loss of engine state"));
        assertThat(engine.isRunning(id)).isFalse();

        assertThat(reconciler.reconcile(Instant.now().plusSeconds(60))).isGreaterThanOrEqualTo(1);
        await(() -> engine.isRunning(id));
        assertThat(engine.instancesFor(id)).isEqualTo(2);

        assertThat(reconciler.reconcile(Instant.now().plusSeconds(60))).as("a running process is left alone").isZero();
        assertThat(api.vote(api.token("alice", "alice"), id, "APPROVE", null).body().get("status").asString()).isEqualTo("PENDING");
        assertThat(api.vote(api.token("bob", "bob"), id, "APPROVE", null).body().get("status").asString()).isEqualTo("APPROVED");
        await(() -> !engine.isRunning(id));
    }

    @Test
    void aDecisionEndsTheWaitingProcessThroughItsMessage() throws Exception {
        var api = new Api(port);
        String agent = api.token("billing-agent", "billing-agent-secret");
        String id = api.ask(agent, Api.largePayment().replace("1250.00", "99.00")).body().get("id").asString();
        await(() -> waitingForDecision(id));

        assertThat(api.vote(api.token("bob", "bob"), id, "APPROVE", null).body().get("status").asString()).isEqualTo("APPROVED");
        await(() -> !engine.isRunning(id));

        var finished = history.createHistoricProcessInstanceQuery().processInstanceBusinessKey(id).singleResult();
        assertThat(finished.getEndActivityId()).isEqualTo("closed");
        assertThat(finished.getDeleteReason()).isNull();
    }

    @Test
    void aDecisionMadeRightAfterAskingLeavesNoProcessRunning() throws Exception {
        var api = new Api(port);
        String agent = api.token("billing-agent", "billing-agent-secret");
        String bob = api.token("bob", "bob");
        // Voting right after asking lands before the process starts (it then never starts) or before its notify
        // job completes (the job worker then delivers the decision): either way nothing is left running.
        String id = api.ask(agent, Api.largePayment().replace("1250.00", "98.00")).body().get("id").asString();
        assertThat(api.vote(bob, id, "APPROVE", null).body().get("status").asString()).isEqualTo("APPROVED");

        Thread.sleep(1_000);
        await(() -> !engine.isRunning(id), 300);
        history.createHistoricProcessInstanceQuery().processInstanceBusinessKey(id).list()
                .forEach(instance -> assertThat(instance.getEndActivityId()).isEqualTo("closed"));
    }

    private boolean waitingForDecision(String id) {
        return runtime.createProcessInstanceQuery().processInstanceBusinessKey(id).list().stream()
                .anyMatch(instance -> runtime.createExecutionQuery().processInstanceId(instance.getId())
                        .messageEventSubscriptionName("countersign.decided").count() == 1);
    }

    private static void await(BooleanSupplier condition) throws InterruptedException {
        await(condition, 100);
    }

    private static void await(BooleanSupplier condition, int tenthsOfASecond) throws InterruptedException {
        for (int i = 0; i < tenthsOfASecond && !condition.getAsBoolean(); i++) {
            Thread.sleep(100);
        }
        assertThat(condition.getAsBoolean()).isTrue();
    }
}
