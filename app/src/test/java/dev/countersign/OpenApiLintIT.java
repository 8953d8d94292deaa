package dev.countersign;

import static org.assertj.core.api.Assertions.assertThat;

import dev.countersign.testing.NpmFolder;
import dev.countersign.testing.SharedCountersign;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Redocly's linter (pinned in src/test/openapi) finds no error in the OpenAPI document a running Countersign serves. */
class OpenApiLintIT {

    private static final Path FOLDER = Path.of("src/test/openapi").toAbsolutePath();

    @Test
    void theServedDocumentPassesRedoclysRecommendedRules() throws Exception {
        NpmFolder.require(FOLDER, FOLDER.resolve("node_modules/@redocly/cli/package.json"), "Redocly's CLI");
        Path document = Path.of("target", "openapi.json").toAbsolutePath();
        Files.writeString(document, SharedCountersign.openApiDocument());

        Path report = Path.of("target", "openapi-lint.txt").toAbsolutePath();
        Process lint = new ProcessBuilder("node", FOLDER.resolve("node_modules/@redocly/cli/bin/cli.js").toString(), "lint",
                "--config", FOLDER.resolve("redocly.yaml").toString(), "--format", "stylish", document.toString())
                .directory(FOLDER.toFile()).redirectErrorStream(true).redirectOutput(report.toFile()).start();
        assertThat(lint.waitFor(2, TimeUnit.MINUTES)).as("the linter finished").isTrue();
        String output = Files.readString(report, StandardCharsets.UTF_8);
        assertThat(output).as(output).contains("Your API description is valid");
        assertThat(lint.exitValue()).as(output).isZero();
        assertThat(output).doesNotContainPattern("\\berror\\b");
    }
}
