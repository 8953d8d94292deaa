package dev.countersign.clients;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The Python client's own suite (clients/python/tests, standard library unittest) against the shared Countersign. */
class PythonClientIT {

    @Test
    void thePythonSuitePasses() throws Exception {
        Path clients = Path.of("..", "clients", "python").toAbsolutePath().normalize();
        Path report = Path.of("target", "python-client-tests.txt").toAbsolutePath();
        var builder = new ProcessBuilder("python3", "-m", "unittest", "discover", "-s", "tests", "-v")
                .directory(clients.toFile()).redirectErrorStream(true).redirectOutput(report.toFile());
        builder.environment().put("COUNTERSIGN_URL", ClientSuite.url().toString());
        Process suite = builder.start();
        assertThat(suite.waitFor(3, TimeUnit.MINUTES)).as("the Python suite finished").isTrue();
        String output = Files.readString(report);
        assertThat(output).as(output).contains("Ran 6 tests").contains("\nOK");
        assertThat(suite.exitValue()).as(output).isZero();
    }
}
