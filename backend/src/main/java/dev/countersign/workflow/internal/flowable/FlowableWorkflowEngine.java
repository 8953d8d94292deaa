package dev.countersign.workflow.internal.flowable;

import dev.countersign.workflow.ProcessStart;
import dev.countersign.workflow.WorkflowEngine;
import java.util.Map;
import org.flowable.common.engine.api.FlowableOptimisticLockingException;
import org.flowable.engine.HistoryService;
import org.flowable.engine.RuntimeService;
import org.springframework.stereotype.Component;

/** Embedded Flowable: processes, timers and jobs live in our own database and transaction. */
@Component
class FlowableWorkflowEngine implements WorkflowEngine {

    static final String DECIDED_MESSAGE = "countersign.decided";

    private final RuntimeService runtime;
    private final HistoryService history;

    FlowableWorkflowEngine(RuntimeService runtime, HistoryService history) {
        this.runtime = runtime;
        this.history = history;
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

    @Override
    public boolean isRunning(String requestId) {
        return runtime.createProcessInstanceQuery().processInstanceBusinessKey(requestId).count() > 0;
    }

    @Override
    public void decided(String requestId) {
        // A job of the same instance (notify, remind) may be completing right now; try again on its heels.
        for (int attempt = 1; ; attempt++) {
            try {
                deliverDecision(requestId);
                return;
            } catch (FlowableOptimisticLockingException raced) {
                if (attempt == 3) {
                    throw raced;
                }
            }
        }
    }

    private void deliverDecision(String requestId) {
        for (var instance : runtime.createProcessInstanceQuery().processInstanceBusinessKey(requestId).list()) {
            var waiting = runtime.createExecutionQuery()
                    .processInstanceId(instance.getId())
                    .messageEventSubscriptionName(DECIDED_MESSAGE)
                    .list();
            if (waiting.isEmpty()) {
                // Decided before the process reached its wait (e.g. during notify): nothing is left for it to do.
                runtime.deleteProcessInstance(instance.getId(), "decided");
            } else {
                waiting.forEach(execution -> runtime.messageEventReceived(DECIDED_MESSAGE, execution.getId()));
            }
        }
    }

    @Override
    public long instancesFor(String requestId) {
        return history.createHistoricProcessInstanceQuery().processInstanceBusinessKey(requestId).count();
    }
}
