package dev.countersign.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;

/** The pool-sizing measurement (about 4 minutes); the table goes to app/target/pool-sizing.md and docs/benchmarks.md. */
class PoolSizingRun {

    @Test
    void poolSizes() throws Exception {
        Locale.setDefault(Locale.ROOT);
        List<PoolSizing.Result> results = new ArrayList<>();
        // Each size twice, once early and once late, so that the JIT's warming (the runs share one JVM) favours none.
        for (int pool : new int[] {5, 40, 10, 20, 20, 10, 40, 5}) {
            results.add(PoolSizing.run(pool, 32, Duration.ofSeconds(15)));
        }
        String table = PoolSizing.table(results);
        System.out.println(table);
        Files.writeString(Path.of("target/pool-sizing.md"), table);
    }
}
