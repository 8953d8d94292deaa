package dev.countersign.workflow.internal.flowable;

import dev.countersign.workflow.internal.ProcessStart;
import dev.countersign.workflow.internal.WorkflowEngine;
import java.util.Map;
import org.apache.ibatis.exceptions.PersistenceException;
import org.flowable.common.engine.api.FlowableOptimisticLockingException;
import org.flowable.engine.RuntimeService;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.stereotype.Component;

/** Embedded Flowable: processes, timers and jobs live in our own database and transaction. */
@Component
@ConditionalOnProperty(name = "countersign.engine", havingValue = "flowable", matchIfMissing = true)
class FlowableWorkflowEngine implements WorkflowEngine {

    static final String DECIDED_MESSAGE = "countersign.decided";

    private final RuntimeService runtime;

    FlowableWorkflowEngine(RuntimeService runtime) {
        this.runtime = runtime;
    }

    @Override
    public void start(ProcessStart start) {
        if (isRunning(start.requestId())) {
            return;
        }
        runtime.createProcessInstanceBuilder()
                .processDefinitionKey(start.processId())
                .businessKey(start.requestId())
                .variables(Map.of(
                        "requestId", start.requestId(),
                        "expiresAt", start.expiresAt().toString(),
                        "remindAt", start.remindAt().toString()))
                .start();
    }

    /** The requests of running processes, a page at a time in a stable order (process instance id). */
    java.util.List<String> runningRequests(int first, int max) {
        return runtime.createProcessInstanceQuery().orderByProcessInstanceId().asc().listPage(first, max).stream()
                .map(org.flowable.engine.runtime.ProcessInstance::getBusinessKey).filter(java.util.Objects::nonNull).toList();
    }

    @Override
    public boolean isRunning(String requestId) {
        return runtime.createProcessInstanceQuery().processInstanceBusinessKey(requestId).count() > 0;
    }

    @Override
    public void deliverDecision(String requestId) {
        // A job of the same instance (notify, remind) may be completing right now: on PostgreSQL that shows as an
        // optimistic-locking failure or a foreign-key violation. Try again on its heels, reading the instance anew.
        for (int attempt = 1; ; attempt++) {
            try {
                messageWaitingExecutions(requestId);
                return;
            } catch (FlowableOptimisticLockingException | PersistenceException raced) {
                if (attempt == 5) {
                    throw raced;
                }
                pause(attempt * 20L);
            }
        }
    }

    private static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void messageWaitingExecutions(String requestId) {
        for (var instance : runtime.createProcessInstanceQuery().processInstanceBusinessKey(requestId).list()) {
            var waiting = runtime.createExecutionQuery()
                    .processInstanceId(instance.getId())
                    .messageEventSubscriptionName(DECIDED_MESSAGE)
                    .list();
            // Not waiting yet (its notify job is still running, or its continuation not yet run): Flowable keeps
            // no message for later, so DecisionCatchUp delivers the decision again once the process waits.
            waiting.forEach(execution -> runtime.messageEventReceived(DECIDED_MESSAGE, execution.getId()));
        }
    }
}
