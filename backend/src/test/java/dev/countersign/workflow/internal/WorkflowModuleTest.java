package dev.countersign.workflow.internal;

import static dev.countersign.AgentCalls.transfer;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.countersign.AgentCalls;
import dev.countersign.actions.ActionRequest;
import dev.countersign.actions.ActionRequests;
import dev.countersign.actions.Verdict;
import dev.countersign.common.EventRedelivery;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.modulith.test.ApplicationModuleTest;
import org.springframework.web.context.WebApplicationContext;

/**
 * The workflow module over actions and policy, with an engine that records what it is told in
 * place of Flowable or Camunda (each adapter has its own tests in the app): the process starts
 * once per request that awaits approval, hears of its decision, and comes back if it is lost.
 */
@ApplicationModuleTest(mode = ApplicationModuleTest.BootstrapMode.ALL_DEPENDENCIES)
class WorkflowModuleTest {

    /** An engine that remembers starts and deliveries; a start is idempotent, as the port requires. */
    static class RecordingEngine implements WorkflowEngine {
        final List<ProcessStart> starts = new CopyOnWriteArrayList<>();
        final List<String> deliveries = new CopyOnWriteArrayList<>();
        final Set<String> running = ConcurrentHashMap.newKeySet();
        final List<String> failed = new CopyOnWriteArrayList<>();
        volatile boolean away;

        @Override
        public void start(ProcessStart start) {
            if (away) {
                failed.add(start.requestId());
                throw new IllegalStateException("the engine is away");
            }
            if (running.add(start.requestId())) {
                starts.add(start);
            }
        }

        @Override
        public boolean isRunning(String requestId) {
            return running.contains(requestId);
        }

        @Override
        public void deliverDecision(String requestId) {
            deliveries.add(requestId);
            running.remove(requestId);
        }

        List<ProcessStart> startsOf(String requestId) {
            return starts.stream().filter(start -> start.requestId().equals(requestId)).toList();
        }
    }

    @TestConfiguration
    static class Parts {
        @Bean
        RecordingEngine engine() {
            return new RecordingEngine();
        }


    }

    @Autowired
    WebApplicationContext context;
    @Autowired
    RecordingEngine engine;
    @Autowired
    ActionRequests requests;
    @Autowired
    ProcessReconciler reconciler;
    @Autowired
    EventRedelivery redelivery;
    @Autowired
    ProcessStartOnce once;
    @Autowired
    JdbcClient jdbc;

    AgentCalls agent;

    @BeforeEach
    void agent() {
        agent = new AgentCalls(context, "billing-agent");
    }

    @Test
    void aRequestThatAwaitsApprovalStartsOneProcessWithItsOwnDeadline() throws Exception {
        String id = agent.asked(transfer());
        ActionRequest request = requests.find(id).orElseThrow();

        // After commit, on a thread of its own (a durable listener of the event publication registry).
        await().atMost(Duration.ofSeconds(10)).until(() -> !engine.startsOf(id).isEmpty());
        assertThat(engine.startsOf(id)).singleElement().satisfies(start -> {
            assertThat(start.processId()).isEqualTo(ProcessStart.GUARDED_ACTION);
            assertThat(start.expiresAt()).isEqualTo(request.approval().expiresAt());
            // No reminder in the rule: the reminder timer is set past the expiry, which always fires first.
            assertThat(start.remindAt()).isAfter(start.expiresAt());
        });
    }

    @Test
    void aStartTheEngineFailedIsKeptAndDeliveredAgainUntilItRuns() throws Exception {
        engine.away = true;
        String id;
        try {
            id = agent.asked(transfer());
            await().atMost(Duration.ofSeconds(10)).until(() -> engine.failed.contains(id));
        } finally {
            engine.away = false;
        }
        assertThat(engine.startsOf(id)).isEmpty();
        assertThat(unfinishedStarts(id)).as("the publication outlives the failed delivery").isEqualTo(1);

        redelivery.redeliverPublishedBefore(Instant.now().plus(Duration.ofMinutes(1)));

        await().atMost(Duration.ofSeconds(10)).until(() -> engine.startsOf(id).size() == 1 && unfinishedStarts(id) == 0);
        // Delivered once more (a crash before the completion was recorded, another instance): the claim refuses it.
        assertThat(once.start(engine.startsOf(id).getFirst())).isFalse();
        assertThat(engine.startsOf(id)).singleElement();
    }

    private long unfinishedStarts(String requestId) {
        return jdbc.sql("select count(*) from event_publication where listener_id = ? and completion_date is null"
                        + " and serialized_event like ?")
                .params(ProcessStarts.LISTENER, "%" + requestId + "%").query(Long.class).single();
    }

    @Test
    void requestsDecidedOnArrivalStartNoProcess() throws Exception {
        String allowed = agent.asked("""
                {"tool":"docs.read","arguments":{"path":"/handbook"}}""");
        String denied = agent.asked("""
                {"tool":"payments.refund","arguments":{"payment":"p-1"}}""");

        assertThat(requests.status(allowed)).isPresent();
        assertThat(requests.status(denied)).isPresent();
        // A start would come within milliseconds of the commit, on another thread.
        await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(2))
                .until(() -> engine.startsOf(allowed).isEmpty() && engine.startsOf(denied).isEmpty());
    }

    @Test
    void theProcessHearsOfTheDecision() throws Exception {
        String id = agent.asked(transfer());
        await().atMost(Duration.ofSeconds(10)).until(() -> engine.isRunning(id));

        requests.decide(id, Verdict.cancelled("billing-agent"));

        // Delivered after commit, off the deciding thread.
        await().atMost(Duration.ofSeconds(10)).until(() -> engine.deliveries.contains(id));
        assertThat(engine.deliveries).containsOnlyOnce(id);
    }

    @Test
    void aPendingRequestWhoseProcessWasLostGetsItBack() throws Exception {
        String id = agent.asked(transfer());
        await().atMost(Duration.ofSeconds(10)).until(() -> engine.isRunning(id));
        ProcessStart first = engine.startsOf(id).getFirst();
        engine.running.remove(id);

        int restarted = reconciler.reconcile(Instant.now().plus(Duration.ofMinutes(1)));

        assertThat(restarted).isGreaterThanOrEqualTo(1);
        await().atMost(Duration.ofSeconds(10)).until(() -> engine.startsOf(id).size() == 2);
        assertThat(engine.startsOf(id)).hasSize(2).allSatisfy(start -> assertThat(start).isEqualTo(first));
        assertThat(engine.isRunning(id)).isTrue();
    }
}
