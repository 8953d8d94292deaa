package dev.countersign.bench;

import java.util.Locale;
import org.junit.jupiter.api.Test;

/** Only the MCP gateway's row (about 40 s), for work on the gateway's speed; BenchmarkRun has every row. */
class GatewayBenchmarkRun {

    @Test
    void gatewayRow() throws Exception {
        Locale.setDefault(Locale.ROOT);
        System.out.println(Benchmark.table(new java.util.ArrayList<>(java.util.List.of(GatewayBenchmark.run(500)))));
    }
}
