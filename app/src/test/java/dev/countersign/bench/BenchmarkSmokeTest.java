package dev.countersign.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The benchmark harness itself works (a tiny run); the figures come from BenchmarkRun, see docs/benchmarks.md. */
class BenchmarkSmokeTest {

    @Test
    void harnessMeasuresEveryRowOnATinyRun() throws Exception {
        var rows = Benchmark.run(new Benchmark.Settings(5, Duration.ofSeconds(1), 4, 20, 20, 4, 5));

        assertThat(rows).extracting(Benchmark.Row::measurement)
                .anyMatch(m -> m.startsWith("wake-up latency"))
                .anyMatch(m -> m.startsWith("auto-allowed"))
                .anyMatch(m -> m.startsWith("approval creation"))
                .anyMatch(m -> m.startsWith("idempotent replay"))
                .anyMatch(m -> m.startsWith("waiters"))
                .anyMatch(m -> m.startsWith("Slack Approve click"))
                .anyMatch(m -> m.startsWith("MCP gateway"));
        assertThat(rows.stream().filter(r -> r.measurement().startsWith("waiters")).findFirst().orElseThrow().countersign())
                .startsWith("20 held, 20 answered APPROVED");
        assertThat(Benchmark.table(rows)).contains("| measurement |");
    }
}
