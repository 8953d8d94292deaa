package dev.countersign.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * The benchmark harness itself works (a tiny run; the figures come from BenchmarkRun, see
 * docs/benchmarks.md), and one saving is kept from regressing: the heap a held long-poll costs,
 * measured over 1,000 of them (about 18 KB each on Jetty; 110 KB on Tomcat as it came, 74 KB with its
 * buffers sized down and Spring Security's observations switched off).
 */
class BenchmarkSmokeTest {

    @Test
    void harnessMeasuresEveryRowOnATinyRun() throws Exception {
        var rows = Benchmark.run(new Benchmark.Settings(5, Duration.ofSeconds(1), 4, 20, 20, 50, 2_000));

        assertThat(rows).extracting(Benchmark.Row::measurement)
                .anyMatch(m -> m.startsWith("wake-up latency"))
                .anyMatch(m -> m.startsWith("auto-allowed"))
                .anyMatch(m -> m.startsWith("approval creation"))
                .anyMatch(m -> m.startsWith("idempotent replay"))
                .anyMatch(m -> m.startsWith("waiters"))
                .anyMatch(m -> m.startsWith("audit verification"))
                .anyMatch(m -> m.startsWith("Slack Approve click"))
                .anyMatch(m -> m.startsWith("MCP gateway"));
        String waiters = rows.stream().filter(r -> r.measurement().startsWith("waiters")).findFirst().orElseThrow().countersign();
        System.out.println("Smoke waiters row: " + waiters);
        assertThat(waiters).startsWith("1000 held, 1000 answered APPROVED");
        var perWaiter = java.util.regex.Pattern.compile("([\\d.]+) KB each").matcher(waiters);
        assertThat(perWaiter.find()).as(waiters).isTrue();
        assertThat(Double.parseDouble(perWaiter.group(1))).as("heap per held long-poll, KB: %s", waiters).isLessThan(30.0);
        assertThat(Benchmark.table(rows)).contains("| measurement |");
    }
}
