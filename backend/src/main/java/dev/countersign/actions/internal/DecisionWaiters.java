package dev.countersign.actions.internal;

import dev.countersign.common.AfterCommit;
import org.springframework.context.event.EventListener;
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
import java.util.function.Supplier;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * Waits for a decision: long-polls and the MCP gateway's calls. A waiter is a future, not a
 * thread: ten thousand waiting agents cost ten thousand small objects. This map only knows whom to wake.
 * Woken at once by a decision committed in this instance, with the decided request as its deciding
 * transaction wrote it (decisions are final, so nothing read after the commit could differ; reading
 * it again was about a fifth of vote sent → agent answered on PostgreSQL), and by a short sweep for
 * decisions made elsewhere (other instances, or a missed event), whose answers are read from the
 * database.
 */
@Component
class DecisionWaiters implements DisposableBean {

    /**
     * Each waiter is what to run when its request is decided (complete its future): given the
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
     * The request once it is decided, or as it stands when {@code wait} has passed: the one way to wait, for the REST
     * long-poll (which adapts it to a {@code DeferredResult}) and the MCP gateway alike. Registers first, then reads the
     * request once, on the caller's thread: a decision committed before that read is in it, and one committed after is
     * delivered by the wake-up. A refusal of that read (not the caller's request, the database away) is the caller's,
     * at once. The answer at the deadline is kept here, to the millisecond, and does not wait on the database: if a fresh
     * read cannot be had within {@link #LAST_READ}, the request is answered as it was last read. Cancelling the future
     * (the client went away) forgets the waiter.
     *
     * @param current reads the request as its reader may see it (for its agent: with the grant)
     */
    CompletableFuture<ActionRequest> await(String requestId, Duration wait, Supplier<ActionRequest> current) {
        var result = new CompletableFuture<ActionRequest>();
        var last = new AtomicReference<ActionRequest>();
        Supplier<ActionRequest> read = () -> {
            ActionRequest now = current.get();
            last.set(now);
            return now;
        };
        // Woken by a decision: as it was decided here, or the fresh state, however long the read takes (it carries the
        // decision and the grant).
        Runnable forget = register(requestId, decided -> {
            try {
                result.complete(decided != null ? decided : read.get());
            } catch (RuntimeException unreadable) {
                result.complete(last.get());
            }
        });
        result.whenComplete((request, error) -> forget.run());
        ActionRequest now;
        try {
            now = read.get();
        } catch (RuntimeException refused) {
            result.cancel(false);
            throw refused;
        }
        // Decided already, or the instance is stopping: no wait.
        if (now.status().isFinal() || closing) {
            result.complete(now);
            return result;
        }
        CompletableFuture.delayedExecutor(wait.toMillis(), TimeUnit.MILLISECONDS, wakers).execute(() -> {
            if (!result.isDone()) {
                answerByDeadline(result, read, last);
            }
        });
        return result;
    }

    /** How long the answer at a deadline waits for a fresh read before it answers with the last one. */
    static final Duration LAST_READ = Duration.ofMillis(250);

    private void answerByDeadline(CompletableFuture<ActionRequest> result, Supplier<ActionRequest> read, AtomicReference<ActionRequest> last) {
        var fresh = CompletableFuture.supplyAsync(read, wakers);
        try {
            result.complete(fresh.get(LAST_READ.toMillis(), TimeUnit.MILLISECONDS));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            result.complete(last.get());
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException slowOrAway) {
            result.complete(last.get());
        }
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
     * so that they answer without reading it back, and returns it as anyone but its agent sees it: without the grant.
     * Runs before {@link #onDecided} (after-commit callbacks come before after-completion ones, where transactional
     * event listeners and {@code AfterCommit.react} run), which then finds nobody left to wake.
     */
    ActionRequest decidedInThisTransaction(ActionRequest decided) {
        TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
            @Override
            public void afterCommit() {
                wake(decided.id(), decided);
            }
        });
        return decided.withoutGrant();
    }

    @EventListener
    void onDecided(ActionDecided decided) {
        AfterCommit.react(() -> wake(decided.requestId()));
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

    @Override
    public void destroy() {
        wakers.shutdownNow();
    }
}
