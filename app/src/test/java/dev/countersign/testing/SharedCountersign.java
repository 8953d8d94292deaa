package dev.countersign.testing;

import java.net.URI;
import java.nio.file.Path;

/**
 * One Countersign, started from the packaged jar on its embedded defaults, that every client library's suite of the
 * integration-test run shares (starting one per suite would cost CI a start-up each): the demo policy and catalog, and
 * one agent per suite (test resource clients/countersign-clients.yaml). Stopped when the test JVM ends.
 */
public final class SharedCountersign {

    private static AppProcess app;

    private SharedCountersign() {
    }

    public static synchronized URI url() throws Exception {
        if (app == null) {
            Path config = Path.of("target/test-classes/clients/countersign-clients.yaml").toAbsolutePath();
            AppProcess started = AppProcess.startEmbedded("clients", "--spring.config.additional-location=file:" + config);
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                try {
                    started.close();
                } catch (InterruptedException ignored) {
                    Thread.currentThread().interrupt();
                }
            }));
            app = started;
        }
        return URI.create("http://localhost:" + app.port());
    }

    /** The OpenAPI document it serves, as JSON text. */
    public static String openApiDocument() throws Exception {
        var response = java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(
                URI.create(url() + "/v3/api-docs")).build(), java.net.http.HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IllegalStateException("/v3/api-docs answered " + response.statusCode() + ": " + response.body());
        }
        return response.body();
    }

    public static synchronized Path log() {
        return app == null ? null : app.log();
    }
}
