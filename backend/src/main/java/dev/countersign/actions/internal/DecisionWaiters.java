package dev.countersign.actions.internal;

import dev.countersign.actions.ActionDecided;
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
import java.util.function.Supplier;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.http.ResponseEntity;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import org.springframework.transaction.event.TransactionalEventListener;
import org.springframework.web.context.request.async.DeferredResult;

/**
 * Long-polls that wait for a decision. A waiter is a {@link DeferredResult}, not a thread: ten
 * thousand waiting agents cost ten thousand small objects. This map only knows whom to wake;
 * the database stays the source of truth, and every answer is read from it.
 * Woken at once by a decision committed in this instance, and by a short sweep for decisions
 * made elsewhere (other instances, or a missed event).
 */
@Component
class DecisionWaiters implements DisposableBean {

    /** Each waiter is what to run when its request is decided: answer a long-poll, or complete a future. */
    private final ConcurrentHashMap<String, Set<Runnable>> waiting = new ConcurrentHashMap<>();
    private final ActionRequestRepository requests;
    private final ExecutorService wakers = Executors.newVirtualThreadPerTaskExecutor();

    DecisionWaiters(ActionRequestRepository requests, MeterRegistry meters) {
        this.requests = requests;
        Gauge.builder("countersign.actions.waiters", this, DecisionWaiters::waiters)
                .description("Long-polls currently waiting for a decision on this instance")
                .register(meters);
    }

    /**
     * Registers first, then reads the current state: a decision committed between the two is
     * seen by the read, and one committed after is delivered by the wake-up.
     */
    DeferredResult<ResponseEntity<?>> await(String requestId, Duration wait, Supplier<ResponseEntity<?>> current) {
        var result = new DeferredResult<ResponseEntity<?>>(wait.toMillis());
        Runnable forget = register(requestId, () -> result.setResult(current.get()));
        result.onTimeout(() -> result.setResult(current.get()));
        result.onCompletion(forget);
        result.onError(error -> forget.run());
        wakers.execute(() -> {
            ResponseEntity<?> now = current.get();
            if (isDecided(now)) {
                result.setResult(now);
            }
        });
        return result;
    }

    /**
     * Completes with {@code true} when the request is decided (on this instance at once, elsewhere
     * within a sweep) or with {@code false} when {@code wait} has passed. Register before reading
     * the request, as {@link #await} does, so that no decision falls between the two.
     */
    CompletableFuture<Boolean> decision(String requestId, Duration wait) {
        var decided = new CompletableFuture<Boolean>();
        Runnable forget = register(requestId, () -> decided.complete(true));
        decided.completeOnTimeout(false, wait.toMillis(), TimeUnit.MILLISECONDS).whenComplete((done, error) -> forget.run());
        return decided;
    }

    /** Adds a waiter; returns what removes it again. */
    private Runnable register(String requestId, Runnable waiter) {
        waiting.computeIfAbsent(requestId, id -> ConcurrentHashMap.newKeySet()).add(waiter);
        return () -> waiting.computeIfPresent(requestId, (id, set) -> {
            set.remove(waiter);
            return set.isEmpty() ? null : set;
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

    int waiters() {
        return waiting.values().stream().mapToInt(Set::size).sum();
    }

    void wake(String requestId) {
        Set<Runnable> waiters = waiting.remove(requestId);
        if (waiters != null) {
            waiters.forEach(wakers::execute);
        }
    }

    private static boolean isDecided(ResponseEntity<?> response) {
        return response.getBody() instanceof dev.countersign.actions.ActionRequest view && view.status().isFinal();
    }

    @Override
    public void destroy() {
        wakers.shutdownNow();
    }
}
