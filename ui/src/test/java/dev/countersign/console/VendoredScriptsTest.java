package dev.countersign.console;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The drawing libraries the console serves (bpmn-js, ECharts) are the pinned npm packages' own published files, byte
 * for byte: nobody edits a copy by hand, and a version bump in package.json without refresh.sh fails here.
 */
class VendoredScriptsTest {

    static final Path NPM = Path.of("src/main/vendor").toAbsolutePath();
    static final Path SERVED = Path.of("src/main/resources/META-INF/resources/vendor").toAbsolutePath();

    @Test
    void theServedCopiesAreThePinnedPackagesFiles() throws Exception {
        installed();
        Map<String, String> copies = Map.of(
                "bpmn-js/bpmn-navigated-viewer.production.min.js", "bpmn-js/dist/bpmn-navigated-viewer.production.min.js",
                "bpmn-js/assets/diagram-js.css", "bpmn-js/dist/assets/diagram-js.css",
                "bpmn-js/assets/bpmn-js.css", "bpmn-js/dist/assets/bpmn-js.css",
                "bpmn-js/LICENSE", "bpmn-js/LICENSE",
                "echarts/echarts.min.js", "echarts/dist/echarts.min.js",
                "echarts/LICENSE", "echarts/LICENSE");
        try (var served = Files.walk(SERVED)) {
            assertThat(served.filter(Files::isRegularFile).map(file -> SERVED.relativize(file).toString().replace('\\', '/')))
                    .as("every file served from vendor/").containsExactlyInAnyOrderElementsOf(copies.keySet());
        }
        copies.forEach((copy, original) -> {
            try {
                assertThat(Files.mismatch(SERVED.resolve(copy), NPM.resolve("node_modules").resolve(original)))
                        .as(copy + " is " + original + " of the pinned package (run ui/src/main/vendor/refresh.sh)").isEqualTo(-1L);
            } catch (IOException e) {
                throw new AssertionError(e);
            }
        });
    }

    /** Installs the pinned packages on first use (.ci/run installs them up front), so `./mvnw verify` needs only Node. */
    private static void installed() throws IOException, InterruptedException {
        if (Files.exists(NPM.resolve("node_modules/echarts/package.json")) && Files.exists(NPM.resolve("node_modules/bpmn-js/package.json"))) {
            return;
        }
        Process npm = new ProcessBuilder("npm", "ci", "--no-audit", "--no-fund").directory(NPM.toFile())
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        assertThat(npm.waitFor(5, TimeUnit.MINUTES) && npm.exitValue() == 0)
                .as("npm ci in ui/src/main/vendor (install Node.js 20+ and run `npm ci --prefix ui/src/main/vendor`)").isTrue();
    }
}
