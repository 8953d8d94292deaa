package dev.countersign.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntConsumer;

/** Concurrent callers driving calls for a time, and two calls timed side by side: what each benchmark harness measures with. */
final class SideBySide {

    private SideBySide() {
    }

    /** Runs a call untimed for a third of the throughput window, so that what is timed next runs compiled code. */
    static void warm(Duration window, int callers, IntConsumer call) throws Exception {
        until(System.nanoTime() + window.toNanos() / 3, callers, call);
    }

    /**
     * Throughput (per second) of two calls, each given the whole window, in alternating thirds (A B, B A, A B): this
     * machine's speed drifts within a run (the same endpoint measured a third slower a few minutes later), and timing
     * one side after the other put that drift into the ratio.
     */
    static double[] throughput(Duration window, int callers, IntConsumer a, IntConsumer b) throws Exception {
        int rounds = 3;
        Duration slice = window.dividedBy(rounds);
        long[] done = new long[2];
        long[] nanos = new long[2];
        IntConsumer[] sides = {a, b};
        for (int round = 0; round < rounds; round++) {
            for (int turn = 0; turn < 2; turn++) {
                int side = round % 2 == 0 ? turn : 1 - turn;
                AtomicLong count = new AtomicLong();
                long started = System.nanoTime();
                until(started + slice.toNanos(), callers, i -> {
                    sides[side].accept(i);
                    count.incrementAndGet();
                });
                nanos[side] += System.nanoTime() - started;
                done[side] += count.get();
            }
        }
        return new double[] {done[0] / seconds(nanos[0]), done[1] / seconds(nanos[1])};
    }

    /** {@code n} calls, numbered from 0, shared out among the callers. */
    static void calls(int n, int callers, IntConsumer call) throws Exception {
        AtomicLong next = new AtomicLong();
        run(callers, () -> {
            long i;
            while ((i = next.getAndIncrement()) < n) {
                call.accept((int) i);
            }
        });
    }

    static void until(long endNanos, int callers, IntConsumer call) throws Exception {
        AtomicLong next = new AtomicLong();
        run(callers, () -> {
            while (System.nanoTime() < endNanos) {
                call.accept((int) next.getAndIncrement());
            }
        });
    }

    static double seconds(long nanos) {
        return nanos / 1_000_000_000.0;
    }

    private static void run(int callers, Runnable caller) throws Exception {
        List<CompletableFuture<Void>> running = new ArrayList<>();
        try (var pool = java.util.concurrent.Executors.newFixedThreadPool(callers)) {
            for (int c = 0; c < callers; c++) {
                running.add(CompletableFuture.runAsync(caller, pool));
            }
            CompletableFuture.allOf(running.toArray(CompletableFuture[]::new)).get(10, TimeUnit.MINUTES);
        }
    }
}
