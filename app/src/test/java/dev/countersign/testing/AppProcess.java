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
        String jar = jar();
        int port = freePort();
        Path workDir = Files.createTempDirectory("countersign-" + name);
        Path log = Path.of("target", "it-" + name + "-" + port + ".log").toAbsolutePath();
        Path policy = Path.of("target/test-classes/policy/test-policy.yaml").toAbsolutePath();
        Path catalog = Path.of("target/test-classes/catalog/test-catalog.yaml").toAbsolutePath();
        List<String> command = new ArrayList<>(launcher(jar));
        command.addAll(List.of(
                "--server.port=" + port,
                "--spring.profiles.active=postgres",
                "--spring.datasource.url=" + jdbcUrl,
                "--spring.datasource.username=postgres",
                "--spring.datasource.password=",
                "--countersign.identity.built-in-issuer.issuer-uri=http://localhost:8080",
                "--countersign.policy.location=file:" + policy,
                "--countersign.catalog.location=file:" + catalog,
                "--countersign.workflow.job-poll=100ms",
                // The same few approvers vote many times a minute here: the fatigue guard is off, as in the test profile.
                "--countersign.approvals.fatigue.approvals=0"));
        command.addAll(List.of(extraArgs));
        return started(command, workDir, port, log);
    }

    /**
     * Starts the jar on its embedded defaults, as a user's first command does (H2 in a fresh working directory, the demo
     * policy, catalog and identities), plus {@code extraArgs}; waits until it is healthy.
     */
    public static AppProcess startEmbedded(String name, String... extraArgs) throws Exception {
        String jar = jar();
        int port = freePort();
        Path workDir = Files.createTempDirectory("countersign-" + name);
        Path log = Path.of("target", "it-" + name + "-" + port + ".log").toAbsolutePath();
        List<String> command = new ArrayList<>(launcher(jar));
        command.addAll(List.of("--server.port=" + port, "--countersign.workflow.job-poll=100ms"));
        command.addAll(List.of(extraArgs));
        return started(command, workDir, port, log);
    }

    private static String jar() {
        String jar = System.getProperty("countersign.jar");
        if (jar == null || !Files.exists(Path.of(jar))) {
            throw new IllegalStateException("countersign.jar not found (" + jar + "): run through './mvnw verify', which packages it first");
        }
        return jar;
    }

    private static AppProcess started(List<String> command, Path workDir, int port, Path log) throws Exception {
        Process process = new ProcessBuilder(command).directory(workDir.toFile())
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        var app = new AppProcess(process, port, log);
        app.awaitHealthy(Duration.ofSeconds(120));
        return app;
    }

    /** Where the process's output (its log) goes. */
    public java.nio.file.Path log() {
        return log;
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

    /** How the instances of this test run start: from the AOT cache when it could be made, else the plain jar. */
    private static List<String> launcher;

    /**
     * The command that starts the packaged application, without its arguments. Made once per test run: the jar is
     * extracted and started once, to its refresh, to write the JDK's AOT cache (about 20 s), so that every instance the
     * integration tests start after it loads its classes from the cache (docs/benchmarks.md, "Start-up": 18 s to 7 s).
     * Should the cache not be made (another JDK, a failed training start), instances start from the plain jar, as users'
     * {@code java -jar} does; the cache changes only how fast classes load, never what runs.
     */
    public static synchronized List<String> launcher(String jar) throws Exception {
        if (launcher != null) {
            return launcher;
        }
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> plain = List.of(java, "-Xmx512m", "-jar", jar);
        Path dir = Path.of("target", "it-aot").toAbsolutePath();
        Path extracted = dir.resolve("countersign").resolve("countersign.jar");
        Path cache = dir.resolve("countersign.aot");
        Path training = dir.resolve("training.log");
        try {
            Files.createDirectories(dir);
            run(dir, training, List.of(java, "-Djarmode=tools", "-jar", jar, "extract", "--destination", dir.resolve("countersign").toString(),
                    "--force"));
            Path work = Files.createTempDirectory("countersign-aot-training");
            run(work, training, List.of(java, "-Xmx512m", "-XX:AOTCacheOutput=" + cache, "-Dspring.context.exit=onRefresh", "-jar",
                    extracted.toString(), "--server.port=0"));
            launcher = Files.exists(cache) ? List.of(java, "-Xmx512m", "-XX:AOTCache=" + cache, "-jar", extracted.toString()) : plain;
        } catch (IOException | IllegalStateException notMade) {
            System.err.println("AppProcess: no AOT cache (" + notMade.getMessage() + "; see " + training + "): instances start from the jar");
            launcher = plain;
        }
        return launcher;
    }

    private static void run(Path dir, Path log, List<String> command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        if (!process.waitFor(3, java.util.concurrent.TimeUnit.MINUTES)) {
            process.destroyForcibly();
            throw new IllegalStateException("did not finish in 3 minutes: " + String.join(" ", command.subList(1, command.size())));
        }
        if (process.exitValue() != 0) {
            throw new IllegalStateException("exited with " + process.exitValue() + ": " + String.join(" ", command.subList(1, command.size())));
        }
    }

    private static int freePort() throws IOException {
        try (var socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
