package dev.countersign.actions.internal;

import dev.countersign.actions.ActionDecided;
import dev.countersign.actions.ActionRequest;
import dev.countersign.actions.ActionStatus;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.http.ResponseEntity;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import org.springframework.transaction.event.TransactionalEventListener;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;
import org.springframework.web.context.request.async.DeferredResult;

/**
 * Long-polls that wait for a decision. A waiter is a {@link DeferredResult}, not a thread: ten
 * thousand waiting agents cost ten thousand small objects. This map only knows whom to wake.
 * Woken at once by a decision committed in this instance, with the decided request as its deciding
 * transaction wrote it (decisions are final, so nothing read after the commit could differ; reading
 * it again was about a fifth of vote sent → agent answered on PostgreSQL), and by a short sweep for
 * decisions made elsewhere (other instances, or a missed event), whose answers are read from the
 * database.
 */
@Component
class DecisionWaiters implements DisposableBean {

    /**
     * Each waiter is what to run when its request is decided (answer a long-poll, or complete a future): given the
     * decided request when this instance decided it, {@code null} when it is to be read.
     */
    private final ConcurrentHashMap<String, Set<Consumer<ActionRequest>>> waiting = new ConcurrentHashMap<>();
    private final ActionRequestRepository requests;
    private final ExecutorService wakers = Executors.newVirtualThreadPerTaskExecutor();
    private volatile boolean closing;

    DecisionWaiters(ActionRequestRepository requests, MeterRegistry meters) {
        this.requests = requests;
        Gauge.builder("countersign.actions.waiters", this, DecisionWaiters::waiters)
                .description("Long-polls currently waiting for a decision on this instance")
                .register(meters);
    }

    /**
     * Registers first, then reads the current state: a decision committed between the two is
     * seen by the read, and one committed after is delivered by the wake-up. The answer at the
     * deadline is kept here, to the millisecond (the container looks at async timeouts about once
     * a second), and does not wait on the database: if the last read cannot be had within
     * {@link #LAST_READ}, the request is answered as it was last read.
     *
     * @param current    reads the request as the agent may see it (its grant included)
     * @param answer     the response for the request as it is
     * @param asLastRead the answer as the caller last read it, for when the database cannot be read
     */
    DeferredResult<ResponseEntity<?>> await(String requestId, Duration wait, Supplier<ActionRequest> current,
                                            Function<ActionRequest, ResponseEntity<?>> answer, ResponseEntity<?> asLastRead) {
        // The container's own timeout is only a backstop behind the deadline below. While the instance stops, no wait.
        var result = new DeferredResult<ResponseEntity<?>>(wait.plusSeconds(5).toMillis());
        if (closing) {
            result.setResult(answer.apply(current.get()));
            return result;
        }
        var last = new AtomicReference<ResponseEntity<?>>(asLastRead);
        Supplier<ResponseEntity<?>> read = () -> {
            ResponseEntity<?> now = answer.apply(current.get());
            last.set(now);
            return now;
        };
        // Woken by a decision: as it was decided here, or the fresh state, however long the read takes (it carries the
        // decision and the grant).
        Runnable forget = register(requestId, decided -> {
            try {
                result.setResult(decided != null ? answer.apply(decided) : read.get());
            } catch (RuntimeException unreadable) {
                result.setResult(last.get());
            }
        });
        result.onTimeout(() -> result.setResult(last.get()));
        result.onCompletion(forget);
        result.onError(error -> forget.run());
        wakers.execute(() -> {
            try {
                ResponseEntity<?> now = read.get();
                if (isDecided(now)) {
                    result.setResult(now);
                }
            } catch (RuntimeException unreadable) {
                // The database is away: the deadline answers with what was last read.
            }
        });
        CompletableFuture.delayedExecutor(wait.toMillis(), TimeUnit.MILLISECONDS, wakers).execute(() -> {
            if (!result.isSetOrExpired()) {
                answerByDeadline(result, read, last);
            }
        });
        return result;
    }

    /** How long the answer at a deadline waits for a fresh read before it answers with the last one. */
    static final Duration LAST_READ = Duration.ofMillis(250);

    private void answerByDeadline(DeferredResult<ResponseEntity<?>> result, Supplier<ResponseEntity<?>> read, AtomicReference<ResponseEntity<?>> last) {
        var fresh = CompletableFuture.supplyAsync(read, wakers);
        try {
            result.setResult(fresh.get(LAST_READ.toMillis(), TimeUnit.MILLISECONDS));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            result.setResult(last.get());
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException slowOrAway) {
            result.setResult(last.get());
        }
    }

    /**
     * Completes with {@code true} when the request is decided (on this instance at once, elsewhere
     * within a sweep) or with {@code false} when {@code wait} has passed. Register before reading
     * the request, as {@link #await} does, so that no decision falls between the two.
     */
    CompletableFuture<Boolean> decision(String requestId, Duration wait) {
        var decided = new CompletableFuture<Boolean>();
        Runnable forget = register(requestId, request -> decided.complete(true));
        decided.completeOnTimeout(false, wait.toMillis(), TimeUnit.MILLISECONDS).whenComplete((done, error) -> forget.run());
        return decided;
    }

    /** Adds a waiter; returns what removes it again. */
    private Runnable register(String requestId, Consumer<ActionRequest> waiter) {
        waiting.computeIfAbsent(requestId, id -> ConcurrentHashMap.newKeySet()).add(waiter);
        return () -> waiting.computeIfPresent(requestId, (id, set) -> {
            set.remove(waiter);
            return set.isEmpty() ? null : set;
        });
    }

    /**
     * Hands the request just decided in this transaction to this instance's waiters once it commits, grant included,
     * so that they answer without reading it back. Runs before {@link #onDecided} (after-commit callbacks come before
     * after-completion ones, where transactional event listeners run), which then finds nobody left to wake.
     */
    void decidedInThisTransaction(ActionRequest decided) {
        TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
            @Override
            public void afterCommit() {
                wake(decided.id(), decided);
            }
        });
    }

    @TransactionalEventListener
    void onDecided(ActionDecided decided) {
        wake(decided.requestId());
    }

    @Scheduled(fixedDelayString = "${countersign.actions.wait-sweep:1s}")
    void sweep() {
        if (waiting.isEmpty()) {
            return;
        }
        requests.findByIdInAndStatusNot(Set.copyOf(waiting.keySet()), ActionStatus.PENDING)
                .forEach(request -> wake(request.id()));
    }

    /**
     * The instance is stopping: every long-poll is answered now, with its request as it stands, instead of holding the
     * web server's graceful shutdown for up to its whole wait (the agent asks again, on another instance). Runs as the
     * context closes, before the web server stops taking requests and waits for those in flight.
     */
    @org.springframework.context.event.EventListener(org.springframework.context.event.ContextClosedEvent.class)
    void answerEveryoneNow() {
        closing = true;
        Set.copyOf(waiting.keySet()).forEach(this::wake);
    }

    int waiters() {
        return waiting.values().stream().mapToInt(Set::size).sum();
    }

    /** Wakes the waiters of a request decided on another instance: each reads it. */
    void wake(String requestId) {
        wake(requestId, null);
    }

    /** @param decided the request as decided here, or {@code null}: each waiter reads it */
    private void wake(String requestId, ActionRequest decided) {
        Set<Consumer<ActionRequest>> waiters = waiting.remove(requestId);
        if (waiters != null) {
            waiters.forEach(waiter -> wakers.execute(() -> waiter.accept(decided)));
        }
    }

    private static boolean isDecided(ResponseEntity<?> response) {
        return response.getBody() instanceof ActionRequest view && view.status().isFinal();
    }

    @Override
    public void destroy() {
        wakers.shutdownNow();
    }
}
