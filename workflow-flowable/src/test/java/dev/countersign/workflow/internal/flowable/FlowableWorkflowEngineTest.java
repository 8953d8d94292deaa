package dev.countersign.workflow.internal.flowable;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.countersign.workflow.internal.ProcessStart;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.flowable.engine.ProcessEngine;
import org.flowable.engine.ProcessEngineConfiguration;
import org.flowable.engine.impl.cfg.ProcessEngineConfigurationImpl;
import org.flowable.job.api.AcquiredExternalWorkerJob;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The adapter against a real Flowable engine of its own (standalone, in-memory H2, the async
 * executor on), with the process model the application deploys: a start is idempotent per
 * request, a decision reaches a process only once it waits for it, and then ends it.
 */
class FlowableWorkflowEngineTest {

    static ProcessEngine flowable;
    static FlowableWorkflowEngine engine;

    @BeforeAll
    static void engine() {
        var configuration = (ProcessEngineConfigurationImpl) ProcessEngineConfiguration.createStandaloneInMemProcessEngineConfiguration();
        configuration.setJdbcUrl("jdbc:h2:mem:flowable-adapter-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
        configuration.setDatabaseSchemaUpdate(ProcessEngineConfiguration.DB_SCHEMA_UPDATE_TRUE);
        configuration.setAsyncExecutorActivate(true);
        // As application.yaml sets it: the continuation after a completed job is looked for every second, not every 10 s.
        configuration.setAsyncExecutorDefaultAsyncJobAcquireWaitTime(1000);
        configuration.setAsyncExecutorDefaultTimerJobAcquireWaitTime(1000);
        flowable = configuration.buildProcessEngine();
        flowable.getRepositoryService().createDeployment().addClasspathResource("flowable/guarded-action.bpmn20.xml").deploy();
        engine = new FlowableWorkflowEngine(flowable.getRuntimeService());
    }

    @AfterAll
    static void close() {
        flowable.close();
    }

    private static ProcessStart startOf(String requestId) {
        Instant now = Instant.now();
        return new ProcessStart(requestId, ProcessStart.GUARDED_ACTION, now.plus(Duration.ofHours(1)), now.plus(Duration.ofMinutes(30)));
    }

    private static long instancesOf(String requestId) {
        return flowable.getRuntimeService().createProcessInstanceQuery().processInstanceBusinessKey(requestId).count();
    }

    @Test
    void aSecondStartForTheSameRequestIsANoOp() {
        String requestId = "act_" + UUID.randomUUID();
        assertThat(engine.isRunning(requestId)).isFalse();

        engine.start(startOf(requestId));
        engine.start(startOf(requestId));

        assertThat(instancesOf(requestId)).isEqualTo(1);
        assertThat(engine.isRunning(requestId)).isTrue();
    }

    @Test
    void aDecisionEndsTheProcessOnceItWaitsAndIsNotKeptBeforeThat() {
        String requestId = "act_" + UUID.randomUUID();
        engine.start(startOf(requestId));

        // Still notifying approvers: Flowable keeps no message, so a decision now changes nothing (DecisionCatchUp
        // tells the process again once it waits).
        engine.deliverDecision(requestId);
        assertThat(engine.isRunning(requestId)).isTrue();

        var management = flowable.getManagementService();
        List<AcquiredExternalWorkerJob> notify = await("the notify job is due").atMost(Duration.ofSeconds(10))
                .until(() -> management.createExternalWorkerJobAcquireBuilder().topic("countersign.notify", Duration.ofMinutes(1))
                        .acquireAndLock(10, "test"), jobs -> !jobs.isEmpty());
        assertThat(notify).hasSize(1);
        String instance = flowable.getRuntimeService().createProcessInstanceQuery().processInstanceBusinessKey(requestId).singleResult().getId();
        assertThat(notify.getFirst().getProcessInstanceId()).isEqualTo(instance);
        management.createExternalWorkerCompletionBuilder(notify.getFirst().getId(), "test").complete();

        // The completion continues asynchronously: told again until it waits (as DecisionCatchUp does), the decision ends it.
        await("the decision reaches the process once it waits").atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(200))
                .until(() -> {
                    engine.deliverDecision(requestId);
                    return !engine.isRunning(requestId);
                });
        assertThat(engine.runningRequests(0, 1000)).doesNotContain(requestId);
    }
}
