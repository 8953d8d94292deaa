package dev.countersign.workflow.internal.flowable;

import dev.countersign.workflow.JobHandler;
import dev.countersign.workflow.JobRetry;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.flowable.common.engine.api.FlowableObjectNotFoundException;
import org.flowable.engine.ManagementService;
import org.flowable.job.api.AcquiredExternalWorkerJob;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Runs the shared job handlers as Flowable external workers: acquire with a lock, handle,
 * complete; a failure goes back to the engine with fewer retries and a growing delay.
 */
@Component
@ConditionalOnProperty(name = "countersign.engine", havingValue = "flowable", matchIfMissing = true)
class FlowableJobWorker {

    private static final Logger log = LoggerFactory.getLogger(FlowableJobWorker.class);

    private final ManagementService management;
    private final Map<String, JobHandler> handlers;
    private final String workerId = "countersign-" + ManagementFactory.getRuntimeMXBean().getName();
    /** How long a job stays with this instance; after a crash, that long until another instance picks it up. */
    private final Duration lock;
    private volatile java.time.Instant polledAt;
    private final dev.countersign.actions.RequestTraces traces;

    FlowableJobWorker(ManagementService management, List<JobHandler> handlers,
                      @Value("${countersign.workflow.job-lock:30s}") Duration lock, dev.countersign.actions.RequestTraces traces) {
        this.traces = traces;
        this.management = management;
        this.lock = lock;
        this.handlers = handlers.stream().collect(Collectors.toMap(JobHandler::topic, Function.identity()));
    }

    @Scheduled(fixedDelayString = "${countersign.workflow.job-poll:250ms}")
    void poll() {
        handlers.forEach((topic, handler) -> {
            List<AcquiredExternalWorkerJob> jobs = management.createExternalWorkerJobAcquireBuilder()
                    .topic(topic, lock)
                    .acquireAndLock(20, workerId);
            jobs.forEach(job -> run(handler, job));
        });
        polledAt = java.time.Instant.now();
    }

    /** When this instance last asked the engine for jobs and ran what it got (null before the first time). */
    java.time.Instant polledAt() {
        return polledAt;
    }

    private void run(JobHandler handler, AcquiredExternalWorkerJob job) {
        String requestId = String.valueOf(job.getVariables().get("requestId"));
        try {
            // In the ask's trace, like everything else that happens to the request.
            traces.within(requestId, handler.topic(), () -> handler.handle(
                    new JobHandler.Job(handler.topic(), requestId, job.getId(), job.getRetries())));
        } catch (RuntimeException e) {
            fail(handler, job, requestId, e);
            return;
        }
        try {
            management.createExternalWorkerCompletionBuilder(job.getId(), workerId).complete();
        } catch (FlowableObjectNotFoundException gone) {
            // The request was decided while the job ran and its process ended with it: nothing left to complete.
            log.debug("Job {} for {} ended with its process", handler.topic(), requestId);
        }
    }

    private void fail(JobHandler handler, AcquiredExternalWorkerJob job, String requestId, RuntimeException e) {
        JobRetry retry = JobRetry.after(e, job.getRetries());
        // While the database is away, telling the engine fails too: the job's lock then expires and it comes back.
        retry.log(log, handler.topic(), requestId, e);
        try {
            management.createExternalWorkerJobFailureBuilder(job.getId(), workerId)
                    .errorMessage(e.toString())
                    .retries(retry.retries())
                    .retryTimeout(retry.backoff())
                    .fail();
        } catch (FlowableObjectNotFoundException gone) {
            log.debug("Job {} for {} ended with its process", handler.topic(), requestId);
        }
    }
}
