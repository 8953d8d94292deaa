package dev.countersign.bench;

import com.zaxxer.hikari.HikariDataSource;
import dev.countersign.Api;
import dev.countersign.CountersignApplication;
import dev.countersign.testing.SideApplications;
import dev.countersign.testing.TestPostgres;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import javax.sql.DataSource;
import org.springframework.boot.builder.SpringApplicationBuilder;

/**
 * How many pooled connections the code needs: the same mixed load (agents asking for allowed and
 * approval-needing actions, approvers voting) against one instance with pools of different sizes,
 * side by side in one run, with the pool's busiest moment sampled every millisecond. Run:
 * {@code ./mvnw -o -B verify -pl app -Dtest=PoolSizingRun -DskipITs -Dsurefire.failIfNoSpecifiedTests=false}.
 */
final class PoolSizing {

    record Result(int pool, double allowedPerSecond, double approvalsPerSecond, double votesPerSecond, int mostActive, int mostWaiting,
                  long failures) {
    }

    private PoolSizing() {
    }

    static Result run(int pool, int clients, Duration window) throws Exception {
        var app = SideApplications.run(new SpringApplicationBuilder(CountersignApplication.class).profiles("postgres"), "--server.port=0",
                        "--spring.datasource.url=" + TestPostgres.newDatabase(),
                        "--spring.datasource.username=postgres",
                        "--spring.datasource.password=",
                        "--spring.datasource.hikari.maximum-pool-size=" + pool,
                        "--countersign.workflow.job-poll=50ms",
                        "--countersign.identity.built-in-issuer.token-ttl=2h",
                        "--countersign.identity.rate-limit.calls=100000000",
                        "--logging.level.root=warn");
        try {
            var api = new Api(app.getEnvironment().getProperty("local.server.port", Integer.class));
            String agent = api.token("billing-agent", "billing-agent-secret");
            String alice = api.token("alice", "alice");
            HikariDataSource hikari = app.getBean(DataSource.class).unwrap(HikariDataSource.class);
            var pending = new java.util.concurrent.LinkedBlockingQueue<String>();
            AtomicLong allowed = new AtomicLong();
            AtomicLong approvals = new AtomicLong();
            AtomicLong votes = new AtomicLong();
            AtomicLong failures = new AtomicLong();
            AtomicInteger mostActive = new AtomicInteger();
            AtomicInteger mostWaiting = new AtomicInteger();
            // Warm the JIT before measuring.
            for (int i = 0; i < 300; i++) {
                api.ask(agent, "{\"tool\":\"docs.read\",\"arguments\":{\"doc\":\"" + UUID.randomUUID() + "\"}}");
            }
            var running = new AtomicBoolean(true);
            try (var sampler = Executors.newSingleThreadScheduledExecutor()) {
                sampler.scheduleAtFixedRate(() -> {
                    var bean = hikari.getHikariPoolMXBean();
                    mostActive.accumulateAndGet(bean.getActiveConnections(), Math::max);
                    mostWaiting.accumulateAndGet(bean.getThreadsAwaitingConnection(), Math::max);
                }, 0, 1, TimeUnit.MILLISECONDS);
                long started = System.nanoTime();
                List<CompletableFuture<Void>> loops = new ArrayList<>();
                try (var pool2 = Executors.newFixedThreadPool(clients)) {
                    for (int c = 0; c < clients; c++) {
                        int kind = c % 4;
                        loops.add(CompletableFuture.runAsync(() -> {
                            while (running.get()) {
                                int status;
                                if (kind == 0 || kind == 1) {
                                    status = api.ask(agent, "{\"tool\":\"docs.read\",\"arguments\":{\"doc\":\"" + UUID.randomUUID() + "\"}}").status();
                                    count(status == 201, allowed, failures);
                                } else if (kind == 2) {
                                    var asked = api.ask(agent, Benchmark.smallPayment());
                                    count(asked.status() == 201, approvals, failures);
                                    if (asked.status() == 201) {
                                        pending.add(asked.body().get("id").asString());
                                    }
                                } else {
                                    String id = poll(pending);
                                    if (id != null) {
                                        count(api.vote(alice, id, "APPROVE", null).status() == 200, votes, failures);
                                    }
                                }
                            }
                        }, pool2));
                    }
                    Thread.sleep(window.toMillis());
                    running.set(false);
                    CompletableFuture.allOf(loops.toArray(CompletableFuture[]::new)).get(2, TimeUnit.MINUTES);
                }
                double seconds = (System.nanoTime() - started) / 1e9;
                return new Result(pool, allowed.get() / seconds, approvals.get() / seconds, votes.get() / seconds, mostActive.get(),
                        mostWaiting.get(), failures.get());
            }
        } finally {
            app.close();
        }
    }

    private static void count(boolean ok, AtomicLong done, AtomicLong failures) {
        (ok ? done : failures).incrementAndGet();
    }

    private static String poll(java.util.concurrent.BlockingQueue<String> pending) {
        try {
            return pending.poll(100, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    static String table(List<Result> results) {
        var out = new StringBuilder("| pool | allowed asks /s | approval asks /s | votes /s | most connections in use | most callers waiting for one | failed calls |\n"
                + "|---|---|---|---|---|---|---|\n");
        for (Result r : results) {
            out.append("| %d | %.0f | %.0f | %.0f | %d | %d | %d |%n".formatted(r.pool(), r.allowedPerSecond(), r.approvalsPerSecond(),
                    r.votesPerSecond(), r.mostActive(), r.mostWaiting(), r.failures()));
        }
        return out.toString();
    }

}
