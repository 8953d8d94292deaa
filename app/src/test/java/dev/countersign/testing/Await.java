package dev.countersign.testing;

import java.time.Duration;
import java.util.concurrent.Callable;
import org.awaitility.Awaitility;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/** Waiting in tests for what happens asynchronously (a worker, a push, a message), with a message that says what did not happen. */
public final class Await {

    private Await() {
    }

    public static void until(Supplier<String> what, Duration timeout, BooleanSupplier condition) {
        value(what, timeout, () -> condition.getAsBoolean() ? Boolean.TRUE : null);
    }

    /**
     * Proves that nothing more happened: {@code condition} must hold at every poll for the whole
     * window (Awaitility's {@code during}), not only at one moment after a fixed sleep.
     */
    public static void holds(String what, Duration window, Callable<Boolean> condition) {
        Awaitility.await(what).pollInterval(Duration.ofMillis(50)).during(window).atMost(window.plusSeconds(10)).until(condition);
    }

    /** Polls until {@code value} gives something other than null, and returns it. */
    public static <T> T value(Supplier<String> what, Duration timeout, Supplier<T> value) {
        long deadline = System.nanoTime() + timeout.toNanos();
        T found;
        while ((found = value.get()) == null) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("Not within " + timeout.toSeconds() + " s: " + what.get());
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
        return found;
    }
}
