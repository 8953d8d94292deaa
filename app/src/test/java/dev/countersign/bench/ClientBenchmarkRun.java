package dev.countersign.bench;

import dev.countersign.client.ActionHash;
import dev.countersign.client.Ask;
import dev.countersign.client.ClientCredentials;
import dev.countersign.client.Countersign;
import dev.countersign.client.Outcome;
import dev.countersign.testing.AppProcess;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntConsumer;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * What the Java client costs over hand-written HTTP, side by side in one run: a guarded call of a tool policy allows
 * (ask, then redeem the grant for the arguments about to run) through {@code Countersign.guard}, against the same two
 * calls written with the JDK's HttpClient and a hash taken from the answer. 16 callers each side, timed as every
 * benchmark here is ({@link SideBySide}: alternating 5 s slices after 5 s untimed each). Not part of the test
 * command; docs/benchmarks.md says how to run it.
 */
class ClientBenchmarkRun {

    private static final int CALLERS = 16;
    private static final Duration WINDOW = Duration.ofSeconds(15);
    private static final JsonMapper JSON = JsonMapper.builder().build();

    @Test
    void clientAgainstHandWrittenHttp() throws Exception {
        Locale.setDefault(Locale.ROOT);
        System.setProperty("countersign.jar", System.getProperty("countersign.jar", Path.of("target", "countersign.jar").toAbsolutePath().toString()));
        try (AppProcess app = AppProcess.startEmbedded("client-bench", "--countersign.identity.rate-limit.calls=1000000",
                "--logging.level.dev.countersign=warn")) {
            URI base = URI.create("http://localhost:" + app.port());
            Countersign client = Countersign.builder(base).agent("billing-agent", "billing-agent-secret")
                    .gateway("tool-gateway", "tool-gateway-secret").build();
            HttpClient http = HttpClient.newHttpClient();
            String agentToken = ClientCredentials.builtIn(base, "billing-agent", "billing-agent-secret").token();
            String gatewayToken = ClientCredentials.builtIn(base, "tool-gateway", "tool-gateway-secret").token();
            AtomicLong page = new AtomicLong();

            IntConsumer viaClient = i -> {
                Outcome<Boolean> outcome = client.guard(Ask.of("docs.read", Map.of("page", "p-" + page.incrementAndGet())),
                        Duration.ofSeconds(10), () -> Boolean.TRUE);
                if (!(outcome instanceof Outcome.Ran<Boolean>)) {
                    throw new IllegalStateException(outcome.describe());
                }
            };
            IntConsumer byHand = i -> {
                try {
                    Map<String, Object> arguments = Map.of("page", "p-" + page.incrementAndGet());
                    var asked = http.send(HttpRequest.newBuilder(base.resolve("/api/v1/actions"))
                            .header("Authorization", "Bearer " + agentToken).header("Content-Type", "application/json")
                            .header("Idempotency-Key", UUID.randomUUID().toString())
                            .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(Map.of("tool", "docs.read", "arguments", arguments))))
                            .build(), HttpResponse.BodyHandlers.ofString());
                    JsonNode request = JSON.readTree(asked.body());
                    var redeemed = http.send(HttpRequest.newBuilder(base.resolve("/api/v1/grants/redeem"))
                            .header("Authorization", "Bearer " + gatewayToken).header("Content-Type", "application/json")
                            .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(Map.of("grant",
                                    request.get("grant").get("token").asString(), "actionHash", ActionHash.of("docs.read", arguments)))))
                            .build(), HttpResponse.BodyHandlers.ofString());
                    if (redeemed.statusCode() != 200) {
                        throw new IllegalStateException(redeemed.body());
                    }
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            };

            SideBySide.warm(WINDOW, CALLERS, viaClient);
            SideBySide.warm(WINDOW, CALLERS, byHand);
            double[] measured = SideBySide.throughput(WINDOW, CALLERS, viaClient, byHand);
            double clientRate = measured[0];
            double handRate = measured[1];
            String table = String.format("""
                    | guarded call of an allowed tool (ask + redeem), 16 callers | calls/s |
                    |---|---|
                    | Java client `Countersign.guard` | %.0f |
                    | the same two calls by hand (JDK HttpClient) | %.0f |
                    | ratio client / by hand | %.2f |
                    """, clientRate, handRate, clientRate / handRate);
            Files.writeString(Path.of("target", "client-benchmark.md"), table);
            System.out.println(table);
        }
    }
}
