package dev.countersign.testing;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The packaged application ({@code app/target/countersign.jar}) as a separate operating-system
 * process, as users run it: started on a free port, stopped gracefully or killed with SIGKILL.
 */
public final class AppProcess implements AutoCloseable {

    private final Process process;
    private final int port;
    private final Path log;

    private AppProcess(Process process, int port, Path log) {
        this.process = process;
        this.port = port;
        this.log = log;
    }

    /** Starts the jar against {@code jdbcUrl} (PostgreSQL, user postgres) and waits until it is healthy. */
    public static AppProcess start(String name, String jdbcUrl, String... extraArgs) throws Exception {
        String jar = System.getProperty("countersign.jar");
        if (jar == null || !Files.exists(Path.of(jar))) {
            throw new IllegalStateException("countersign.jar not found (" + jar + "): run through './mvnw verify', which packages it first");
        }
        int port = freePort();
        Path workDir = Files.createTempDirectory("countersign-" + name);
        Path log = Path.of("target", "it-" + name + "-" + port + ".log").toAbsolutePath();
        String java = ProcessHandle.current().info().command().orElse("java");
        Path policy = Path.of("target/test-classes/policy/test-policy.yaml").toAbsolutePath();
        Path catalog = Path.of("target/test-classes/catalog/test-catalog.yaml").toAbsolutePath();
        List<String> command = new ArrayList<>(List.of(java, "-Xmx512m", "-jar", jar,
                "--server.port=" + port,
                "--spring.profiles.active=postgres",
                "--spring.datasource.url=" + jdbcUrl,
                "--spring.datasource.username=postgres",
                "--spring.datasource.password=",
                "--countersign.identity.built-in-issuer.issuer-uri=http://localhost:8080",
                "--countersign.policy.location=file:" + policy,
                "--countersign.catalog.location=file:" + catalog,
                "--countersign.workflow.job-poll=100ms"));
        command.addAll(List.of(extraArgs));
        Process process = new ProcessBuilder(command).directory(workDir.toFile())
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        var app = new AppProcess(process, port, log);
        app.awaitHealthy(Duration.ofSeconds(120));
        return app;
    }

    public int port() {
        return port;
    }

    public long pid() {
        return process.pid();
    }

    /** SIGKILL: no shutdown hooks, no graceful close, exactly like a crashed machine. */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor();
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            process.destroy();
            if (!process.waitFor(java.util.concurrent.TimeUnit.SECONDS.toMillis(30), java.util.concurrent.TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
            }
        }
    }

    private void awaitHealthy(Duration timeout) throws Exception {
        var http = HttpClient.newHttpClient();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("the application exited during start-up; see " + log);
            }
            try {
                var response = http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/actuator/health")).build(),
                        HttpResponse.BodyHandlers.ofString());
                if (response.statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // still starting
            }
            Thread.sleep(250);
        }
        throw new IllegalStateException("the application did not become healthy in " + timeout + "; see " + log);
    }

    private static int freePort() throws IOException {
        try (var socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
