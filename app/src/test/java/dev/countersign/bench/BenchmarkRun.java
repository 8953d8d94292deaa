package dev.countersign.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import org.junit.jupiter.api.Test;

/**
 * The full benchmark. Not part of the test command (its name matches no test pattern); run it
 * as docs/benchmarks.md says. Writes the table to target/benchmark.md and to the console.
 */
class BenchmarkRun {

    @Test
    void fullBenchmark() throws Exception {
        Locale.setDefault(Locale.ROOT);
        String table = Benchmark.table(Benchmark.run(Benchmark.FULL));
        Files.writeString(Path.of("target", "benchmark.md"), table);
        System.out.println(table);
    }
}
