package dev.countersign.workflow.internal.camunda;

import dev.countersign.workflow.internal.ProcessStart;
import dev.countersign.workflow.internal.WorkflowEngine;
import io.camunda.client.CamundaClient;
import java.sql.Timestamp;
import java.time.Clock;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * The {@link WorkflowEngine} port on a Camunda 8 cluster. One process instance per request:
 * the {@code camunda_instance} row is claimed before the instance is created, so no second
 * start can happen from any caller on any Countersign instance. A decision is a published message
 * whose message id is the request id, so the broker ignores a second publication, and whose TTL
 * lets a process that has not reached its wait yet still receive it.
 */
@Component
@ConditionalOnProperty(name = "countersign.engine", havingValue = "camunda")
class CamundaWorkflowEngine implements WorkflowEngine {

    static final String DECIDED = "countersign.decided";
    private static final Logger log = LoggerFactory.getLogger(CamundaWorkflowEngine.class);

    private final CamundaClient client;
    private final CamundaProperties properties;
    private final JdbcClient jdbc;
    private final Clock clock;

    CamundaWorkflowEngine(CamundaClient client, CamundaProperties properties, JdbcClient jdbc, Clock clock) {
        this.client = client;
        this.properties = properties;
        this.jdbc = jdbc;
        this.clock = clock;
    }

    @Override
    public void start(ProcessStart start) {
        if (!claim(start)) {
            log.debug("A process for {} was already started", start.requestId());
            return;
        }
        try {
            var instance = client.newCreateInstanceCommand()
                    .bpmnProcessId(start.processId())
                    .latestVersion()
                    .variables(Map.of(
                            "requestId", start.requestId(),
                            "expiresAt", start.expiresAt().toString(),
                            "remindAt", start.remindAt().toString()))
                    .send().join();
            jdbc.sql("update camunda_instance set process_instance_key = ? where request_id = ?")
                    .params(instance.getProcessInstanceKey(), start.requestId()).update();
        } catch (RuntimeException failed) {
            // Nothing was created: release the claim so that the start's re-delivery (or the reconciler) can start it.
            jdbc.sql("delete from camunda_instance where request_id = ? and process_instance_key is null").param(start.requestId()).update();
            throw new IllegalStateException(CamundaProblems.explain(properties, failed), failed);
        }
    }

    private boolean claim(ProcessStart start) {
        try {
            return jdbc.sql("""
                            insert into camunda_instance (request_id, process_id, started_at)
                            select ?, ?, ? where not exists (select 1 from camunda_instance where request_id = ?)""")
                    .params(start.requestId(), start.processId(), Timestamp.from(clock.instant()), start.requestId())
                    .update() == 1;
        } catch (DuplicateKeyException concurrentStart) {
            return false;
        }
    }

    @Override
    public boolean isRunning(String requestId) {
        // The cluster's process ends by the decision message or its own expiry job, which decides too.
        return jdbc.sql("select count(*) from camunda_instance where request_id = ? and decided_at is null")
                .param(requestId).query(Long.class).single() > 0;
    }

    @Override
    public void deliverDecision(String requestId) {
        client.newPublishMessageCommand()
                .messageName(DECIDED)
                .correlationKey(requestId)
                .messageId(requestId)
                .timeToLive(properties.messageTtl())
                .send().join();
        jdbc.sql("update camunda_instance set decided_at = ? where request_id = ? and decided_at is null")
                .params(Timestamp.from(clock.instant()), requestId).update();
    }
}
