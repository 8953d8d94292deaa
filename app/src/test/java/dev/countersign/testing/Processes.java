package dev.countersign.testing;

import org.flowable.engine.HistoryService;
import org.flowable.engine.RuntimeService;

/**
 * What embedded Flowable holds for a request (its process instances carry the request id as
 * business key): what the end-to-end tests check of the engine, read from the engine itself.
 */
public record Processes(RuntimeService runtime, HistoryService history) {

    /** Process instances ever started for the request, running or finished. */
    public long started(String requestId) {
        return history.createHistoricProcessInstanceQuery().processInstanceBusinessKey(requestId).count();
    }

    public boolean running(String requestId) {
        return runtime.createProcessInstanceQuery().processInstanceBusinessKey(requestId).count() > 0;
    }

    /** Its process has reached the wait for the decision message. */
    public boolean waitingForDecision(String requestId) {
        return runtime.createProcessInstanceQuery().processInstanceBusinessKey(requestId).list().stream()
                .anyMatch(instance -> runtime.createExecutionQuery().processInstanceId(instance.getId())
                        .messageEventSubscriptionName("countersign.decided").count() == 1);
    }

    /** The end event of its only finished process ("closed" when ended by the decision message). */
    public String endActivity(String requestId) {
        return history.createHistoricProcessInstanceQuery().processInstanceBusinessKey(requestId).singleResult().getEndActivityId();
    }
}
