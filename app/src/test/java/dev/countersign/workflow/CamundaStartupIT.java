package dev.countersign.workflow;

import static org.assertj.core.api.Assertions.assertThat;

import dev.countersign.testing.FakeCamunda;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * With the Camunda engine chosen, the packaged application refuses to start against a cluster it
 * cannot use, and its log says why. A process of its own: a second application context in the
 * test JVM would disturb the one the other tests share.
 */
class CamundaStartupIT {

    @Test
    void anUnreachableClusterStopsStartUpWithAClearMessage() throws Exception {
        int closedPort;
        try (var socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        String log = startAndExpectExit("unreachable", "http://127.0.0.1:" + closedPort);
        assertThat(log).contains("The Camunda 8 cluster at http://127.0.0.1:" + closedPort + " could not be reached")
                .contains("check countersign.camunda.rest-address");
    }

    @Test
    void refusedCredentialsStopStartUpWithAClearMessage() throws Exception {
        try (var camunda = new FakeCamunda()) {
            camunda.requireToken("a-token-countersign-does-not-have");
            String log = startAndExpectExit("refused", camunda.restAddress());
            assertThat(log).contains("refused Countersign's credentials (HTTP 401)").contains("check countersign.camunda.client-id");
        }
    }

    private static String startAndExpectExit(String name, String restAddress) throws Exception {
        String jar = System.getProperty("countersign.jar");
        assertThat(jar).as("run through './mvnw verify', which packages the jar first").isNotNull();
        Path log = Path.of("target", "it-camunda-" + name + ".log").toAbsolutePath();
        var command = new java.util.ArrayList<>(dev.countersign.testing.AppProcess.launcher(jar));
        command.addAll(List.of("--server.port=0", "--spring.datasource.url=jdbc:h2:mem:camunda-" + name, "--countersign.engine=camunda",
                "--countersign.camunda.rest-address=" + restAddress, "--countersign.camunda.startup-timeout=5s"));
        Process process = new ProcessBuilder(command)
                .directory(Files.createTempDirectory("countersign-" + name).toFile())
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        try {
            assertThat(process.waitFor(120, TimeUnit.SECONDS)).as("exits instead of starting; see " + log).isTrue();
            assertThat(process.exitValue()).as("exit code").isNotZero();
            return Files.readString(log);
        } finally {
            process.destroyForcibly();
        }
    }
}
