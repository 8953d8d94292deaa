package dev.countersign.workflow.internal.camunda;

import dev.countersign.workflow.JobHandler;
import dev.countersign.workflow.JobRetry;
import io.camunda.client.CamundaClient;
import io.camunda.client.api.response.ActivatedJob;
import io.camunda.client.api.worker.JobClient;
import io.camunda.client.api.worker.JobWorker;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * One Camunda job worker per {@link JobHandler} (the same handlers the Flowable adapter runs).
 * Zeebe delivers at least once, and the handlers are idempotent; a failure goes back to the
 * broker as {@link JobRetry} says: one retry fewer and a growing backoff (an incident when none
 * are left), or, while our database is away, no retry fewer and back in 5 s.
 */
@Component
@ConditionalOnProperty(name = "countersign.engine", havingValue = "camunda")
class CamundaJobWorkers implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(CamundaJobWorkers.class);

    private final CamundaClient client;
    private final List<JobHandler> handlers;
    private final List<JobWorker> workers = new ArrayList<>();

    private final dev.countersign.actions.RequestTraces traces;

    CamundaJobWorkers(CamundaClient client, List<JobHandler> handlers, dev.countersign.actions.RequestTraces traces) {
        this.traces = traces;
        this.client = client;
        this.handlers = handlers;
    }

    /** Runs one activated job through its handler and tells the broker how it went. */
    void run(JobHandler handler, JobClient jobs, ActivatedJob job) {
        Object requestId = job.getVariablesAsMap().get("requestId");
        try {
            // In the ask's trace, like everything else that happens to the request.
            traces.within(String.valueOf(requestId), handler.topic(), () -> handler.handle(
                    new JobHandler.Job(handler.topic(), String.valueOf(requestId), Long.toString(job.getKey()), job.getRetries())));
        } catch (RuntimeException e) {
            JobRetry retry = JobRetry.after(e, job.getRetries());
            retry.log(log, handler.topic(), String.valueOf(requestId), e);
            jobs.newFailCommand(job.getKey()).retries(retry.retries()).retryBackoff(retry.backoff()).errorMessage(e.toString()).send().join();
            return;
        }
        jobs.newCompleteCommand(job.getKey()).send().join();
    }

    @Override
    public void start() {
        for (JobHandler handler : handlers) {
            workers.add(client.newWorker()
                    .jobType(handler.topic())
                    .handler((jobs, job) -> run(handler, jobs, job))
                    .name("countersign")
                    .fetchVariables("requestId")
                    .open());
        }
        log.info("Camunda job workers open for {}", handlers.stream().map(JobHandler::topic).toList());
    }

    @Override
    public void stop() {
        workers.forEach(JobWorker::close);
        workers.clear();
    }

    @Override
    public boolean isRunning() {
        return !workers.isEmpty();
    }
}
