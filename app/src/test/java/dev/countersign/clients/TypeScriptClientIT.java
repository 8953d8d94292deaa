package dev.countersign.clients;

import static org.assertj.core.api.Assertions.assertThat;

import dev.countersign.testing.NpmFolder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The TypeScript package's own suite (clients/typescript: the client, and its OpenAI Agents SDK and Vercel AI SDK
 * adapters driven by each SDK's scripted or mock model), built with tsc and run by node --test against the shared
 * Countersign.
 */
class TypeScriptClientIT {

    private static final Path PACKAGE = Path.of("..", "clients", "typescript").toAbsolutePath().normalize();

    @Test
    void theTypeScriptSuitePasses() throws Exception {
        NpmFolder.require(PACKAGE, PACKAGE.resolve("node_modules/typescript/package.json"), "The TypeScript client's build and test packages");
        String build = run(List.of("node", "node_modules/typescript/bin/tsc", "-p", "tsconfig.json"), "typescript-client-build.txt");
        String output = run(List.of("node", "--test", "dist/test/client.test.js", "dist/test/openai-agents.test.js",
                "dist/test/ai-sdk.test.js"), "typescript-client-tests.txt");

        assertThat(build).as("tsc reports nothing").isEmpty();
        assertThat(output).as(output).contains("# tests 18").contains("# pass 18").contains("# fail 0");
    }

    private static String run(List<String> command, String reportName) throws Exception {
        Path report = Path.of("target", reportName).toAbsolutePath();
        var builder = new ProcessBuilder(command).directory(PACKAGE.toFile()).redirectErrorStream(true).redirectOutput(report.toFile());
        builder.environment().put("COUNTERSIGN_URL", ClientSuite.url().toString());
        Process process = builder.start();
        assertThat(process.waitFor(5, TimeUnit.MINUTES)).as(command + " finished").isTrue();
        String output = Files.readString(report);
        assertThat(process.exitValue()).as(output).isZero();
        return output;
    }
}
