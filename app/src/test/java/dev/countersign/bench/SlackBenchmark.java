package dev.countersign.bench;

import static dev.countersign.bench.Benchmark.check;
import static dev.countersign.bench.Benchmark.millis;
import static dev.countersign.bench.Benchmark.percentile;

import com.slack.api.app_backend.SlackSignature;
import dev.countersign.Api;
import dev.countersign.CountersignApplication;
import dev.countersign.testing.FakeSlack;
import dev.countersign.testing.SideApplications;
import dev.countersign.testing.TestPostgres;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Slack's side of the benchmark, in an application of its own with Slack on (against FakeSlack,
 * so that the other rows stay comparable with earlier runs): how fast a signed Approve click is
 * acknowledged (Slack gives up after 3 s), and click sent → waiting agent answered, side by side
 * with the same decision made by an API vote in the same run.
 */
final class SlackBenchmark {

    private static final String SECRET = "benchmark-signing-secret";

    private SlackBenchmark() {
    }

    static Benchmark.Row run(int decisions) throws Exception {
        try (var slack = new FakeSlack().user("U0ALICE", "alice@example.com")) {
            ConfigurableApplicationContext app = SideApplications.run(new SpringApplicationBuilder(CountersignApplication.class)
                    .profiles("postgres"), "--server.port=0",
                            "--spring.datasource.url=" + TestPostgres.newDatabase(),
                            "--spring.datasource.username=postgres",
                            "--spring.datasource.password=",
                            "--countersign.workflow.job-poll=50ms",
                            "--countersign.identity.built-in-issuer.token-ttl=2h",
                            // Throughput is measured past any per-agent limit (the limit itself costs one in-memory check).
                            "--countersign.identity.rate-limit.calls=100000000",
                            // The demo policy's burst rule and the approver fatigue guard would stop a benchmark's flood.
                            "--countersign.policy.asked-window=1ms",
                            "--countersign.approvals.fatigue.approvals=0",
                            "--countersign.slack.bot-token=" + FakeSlack.BOT_TOKEN,
                            "--countersign.slack.signing-secret=" + SECRET,
                            "--countersign.slack.api-url=" + slack.apiUrl(),
                            "--logging.level.root=warn");
            try {
                return measure(app, decisions);
            } finally {
                app.close();
            }
        }
    }

    private static Benchmark.Row measure(ConfigurableApplicationContext app, int decisions) throws Exception {
        int port = app.getEnvironment().getProperty("local.server.port", Integer.class);
        var api = new Api(port);
        String agent = api.token("billing-agent", "billing-agent-secret");
        String alice = api.token("alice", "alice");
        var http = HttpClient.newHttpClient();
        var signer = new SlackSignature.Generator(SECRET);
        List<Long> acks = new ArrayList<>();
        List<Long> clickToAnswer = new ArrayList<>();
        List<Long> voteToAnswer = new ArrayList<>();
        for (int i = 0; i < decisions; i++) {
            // By API vote (the baseline) ...
            String viaApi = ask(api, agent);
            var waitingApi = CompletableFuture.supplyAsync(() -> api.get(agent, "/api/v1/actions/" + viaApi + "?wait=30"));
            Thread.sleep(20); // let the long-poll park, as in the wake-up row
            long voteSent = System.nanoTime();
            check(api.vote(alice, viaApi, "APPROVE", null).status() == 200, "API vote " + i);
            check("APPROVED".equals(waitingApi.get(30, TimeUnit.SECONDS).body().get("status").asString()), "API decision " + i);
            voteToAnswer.add(System.nanoTime() - voteSent);

            // ... and by a signed Slack click.
            String viaSlack = ask(api, agent);
            var waitingSlack = CompletableFuture.supplyAsync(() -> api.get(agent, "/api/v1/actions/" + viaSlack + "?wait=30"));
            Thread.sleep(20);
            String body = "payload=" + URLEncoder.encode(click(viaSlack), StandardCharsets.UTF_8);
            String timestamp = Long.toString(System.currentTimeMillis() / 1000);
            var request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/slack/interactions"))
                    .header("Content-Type", "application/x-www-form-urlencoded")
                    .header("X-Slack-Request-Timestamp", timestamp)
                    .header("X-Slack-Signature", signer.generate(timestamp, body))
                    .POST(HttpRequest.BodyPublishers.ofString(body)).build();
            long clicked = System.nanoTime();
            var ack = http.send(request, HttpResponse.BodyHandlers.ofString());
            acks.add(System.nanoTime() - clicked);
            check(ack.statusCode() == 200, "Slack ack " + i + ": " + ack.statusCode());
            check("APPROVED".equals(waitingSlack.get(30, TimeUnit.SECONDS).body().get("status").asString()), "Slack decision " + i);
            clickToAnswer.add(System.nanoTime() - clicked);
        }
        double ackP99 = millis(percentile(acks, 99));
        double slackP50 = millis(percentile(clickToAnswer, 50));
        double apiP50 = millis(percentile(voteToAnswer, 50));
        return new Benchmark.Row("Slack Approve click (" + decisions + " decisions): acknowledged; click sent → agent answered",
                "ack p50 %.1f ms, p99 %.1f ms; answered p50 %.1f ms, p99 %.1f ms".formatted(millis(percentile(acks, 50)), ackP99, slackP50,
                        millis(percentile(clickToAnswer, 99))),
                "API vote sent → agent answered p50 %.1f ms, p99 %.1f ms".formatted(apiP50, millis(percentile(voteToAnswer, 99))),
                "%.2f×".formatted(slackP50 / apiP50), "ack p99 < 3000 ms (Slack's limit)", ackP99 < 3000);
    }

    private static String ask(Api api, String agent) {
        var response = api.ask(agent, Benchmark.smallPayment());
        check(response.status() == 201, "ask: " + response.status());
        return response.body().get("id").asString();
    }

    private static String click(String requestId) {
        return """
                {"type":"block_actions","user":{"id":"U0ALICE"},"trigger_id":"%s","team":{"id":"T0ACME"},
                 "channel":{"id":"CFINANCE-APPROVALS"},"actions":[{"action_id":"countersign.approve","value":"%s","type":"button"}]}
                """.formatted(UUID.randomUUID(), requestId);
    }

}
