package dev.countersign.testing;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;

/**
 * A real Keycloak (the distribution the build unpacks into target/keycloak from Maven Central), in
 * development mode on a free port with an in-memory database, the realm
 * {@code src/test/resources/keycloak/countersign-realm.json} imported. About 15-40 s to start on
 * two cores.
 */
public final class Keycloak implements AutoCloseable {

    public static final Path HOME = Path.of("target/keycloak/keycloak-26.7.3").toAbsolutePath();
    private static final Path REALM = Path.of("src/test/resources/keycloak/countersign-realm.json").toAbsolutePath();

    private final Process process;
    private final int port;

    private Keycloak(Process process, int port) {
        this.process = process;
        this.port = port;
    }

    public static boolean isUnpacked() {
        return Files.isExecutable(HOME.resolve("bin/kc.sh"));
    }

    public static Keycloak start() throws Exception {
        int port;
        try (var free = new ServerSocket(0)) {
            port = free.getLocalPort();
        }
        Path imports = Files.createDirectories(HOME.resolve("data/import"));
        Files.copy(REALM, imports.resolve("countersign-realm.json"), StandardCopyOption.REPLACE_EXISTING);
        var builder = new ProcessBuilder(HOME.resolve("bin/kc.sh").toString(), "start-dev", "--http-port=" + port, "--db=dev-mem",
                "--import-realm").directory(HOME.toFile()).redirectErrorStream(true)
                .redirectOutput(Files.createTempFile("keycloak", ".log").toFile());
        builder.environment().put("JAVA_HOME", System.getProperty("java.home"));
        var keycloak = new Keycloak(builder.start(), port);
        var http = HttpClient.newHttpClient();
        Instant giveUp = Instant.now().plus(Duration.ofMinutes(3));
        while (Instant.now().isBefore(giveUp)) {
            if (!keycloak.process.isAlive()) {
                throw new IllegalStateException("Keycloak exited with " + keycloak.process.exitValue());
            }
            try {
                var answer = http.send(HttpRequest.newBuilder(URI.create(keycloak.issuer() + "/.well-known/openid-configuration")).build(),
                        HttpResponse.BodyHandlers.discarding());
                if (answer.statusCode() == 200) {
                    return keycloak;
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            Thread.sleep(500);
        }
        keycloak.close();
        throw new IllegalStateException("Keycloak did not serve its realm within 3 minutes");
    }

    public String issuer() {
        return "http://localhost:" + port + "/realms/countersign";
    }

    public String tokenEndpoint() {
        return issuer() + "/protocol/openid-connect/token";
    }

    public String jwkSetUri() {
        return issuer() + "/protocol/openid-connect/certs";
    }

    @Override
    public void close() {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
    }
}
