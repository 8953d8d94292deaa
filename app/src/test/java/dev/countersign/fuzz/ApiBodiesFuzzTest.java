package dev.countersign.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import dev.countersign.Api;
import dev.countersign.CountersignApplication;
import dev.countersign.testing.FakeSlack;
import dev.countersign.testing.SideApplications;
import java.net.URI;
import java.net.http.HttpRequest;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.constraints.Size;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import tools.jackson.databind.json.JsonMapper;

/**
 * Generated bodies, well-formed or not, at the ask, vote, redeem and Slack-interaction endpoints of a running
 * application: every answer is one the contract documents, every refusal a problem with a code,
 * never a 500; and the audit chain holds afterwards. Bounded by {@code jqwik.tries.default}
 * (250 per property in the test command; see docs/threat-model.md for a longer run).
 */
class ApiBodiesFuzzTest {

    private static final Set<Integer> ASK = Set.of(200, 201, 400, 403, 409, 413, 415, 422);
    private static final Set<Integer> VOTE = Set.of(200, 400, 403, 404, 409, 415, 422);
    private static final Set<Integer> REDEEM = Set.of(200, 400, 403, 409, 415, 422);
    /** Slack is answered 200 whenever the signature holds and the payload is one (what happened is told to the clicker). */
    private static final Set<Integer> SLACK = Set.of(200, 400, 401, 413);
    /** {@code /mcp}: answered (200, a JSON-RPC response or error), accepted (202), or refused with a JSON-RPC error. */
    private static final Set<Integer> MCP = Set.of(200, 202, 400, 404, 413);
    private static final String SLACK_SECRET = "fuzz-signing-secret";
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private static ConfigurableApplicationContext app;
    private static FakeSlack slack;
    private static Api api;
    private static String agent;
    private static String bob;
    private static String gateway;
    private static String pending;
    private static String port;
    private static String desktop;
    private static String mcpSession;

    @BeforeContainer
    static void start() {
        try {
            slack = new FakeSlack().user("U0ALICE", "alice@example.com").user("U0BOB", "bob@example.com");
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
        app = SideApplications.run(new SpringApplicationBuilder(CountersignApplication.class).profiles("test"),
                        "--server.port=0", "--spring.datasource.url=jdbc:h2:mem:fuzz-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1",
                        "--countersign.slack.bot-token=" + FakeSlack.BOT_TOKEN, "--countersign.slack.signing-secret=" + SLACK_SECRET,
                        "--countersign.slack.api-url=" + slack.apiUrl(), "--logging.level.root=warn");
        port = app.getEnvironment().getProperty("local.server.port");
        api = new Api(Integer.parseInt(port));
        agent = api.token("billing-agent", "billing-agent-secret");
        bob = api.token("bob", "bob");
        gateway = api.token("tool-gateway", "tool-gateway-secret");
        pending = api.ask(agent, Api.largePayment()).body().get("id").asString();
        desktop = api.token("desktop-agent", "desktop-agent-secret");
        var initialized = mcp("{\"jsonrpc\":\"2.0\",\"id\":0,\"method\":\"initialize\",\"params\":{\"protocolVersion\":\"2025-11-25\","
                + "\"capabilities\":{},\"clientInfo\":{\"name\":\"fuzz\",\"version\":\"1\"}}}", null);
        mcpSession = initialized.raw().headers().firstValue("Mcp-Session-Id").orElseThrow(() -> new IllegalStateException(initialized.raw().body()));
    }

    @AfterContainer
    static void stop() {
        try {
            var verified = api.get(api.token("admin", "admin"), "/api/v1/audit/verify").body();
            assertThat(verified.get("valid").asBoolean()).as(verified.toString()).isTrue();
        } finally {
            app.close();
            slack.close();
        }
    }

    @Property
    void anAskIsAnsweredAsDocumented(@ForAll("askBodies") String body) {
        assertDocumented(api.ask(agent, body), ASK, body);
    }

    @Property
    void bytesThatAreNotJsonAreRefusedAsDocumented(@ForAll @Size(max = 600) byte[] body) {
        var response = api.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/api/v1/actions"))
                .header("Authorization", "Bearer " + agent).header("Idempotency-Key", UUID.randomUUID().toString())
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofByteArray(body)));
        assertDocumented(response, ASK, new String(body, java.nio.charset.StandardCharsets.ISO_8859_1));
    }

    @Property
    void aVoteIsAnsweredAsDocumented(@ForAll("voteBodies") String body) {
        assertDocumented(api.post(bob, "/api/v1/actions/" + pending + "/votes", body), VOTE, body);
    }

    @Property
    void aRedemptionIsAnsweredAsDocumented(@ForAll("redeemBodies") String body) {
        assertDocumented(api.post(gateway, "/api/v1/grants/redeem", body), REDEEM, body);
    }

    @Property
    void aSignedSlackInteractionIsAnsweredAsDocumented(@ForAll("slackPayloads") String payload) {
        String body = "payload=" + java.net.URLEncoder.encode(payload, java.nio.charset.StandardCharsets.UTF_8);
        String timestamp = String.valueOf(java.time.Instant.now().getEpochSecond());
        String signature = new com.slack.api.app_backend.SlackSignature.Generator(SLACK_SECRET).generate(timestamp, body);
        assertDocumented(slack(body, timestamp, signature), SLACK, payload);
    }

    @Property
    void anUnsignedOrMissignedSlackBodyIsRefused(@ForAll @Size(max = 400) byte[] body, @ForAll boolean withSignature) {
        String timestamp = String.valueOf(java.time.Instant.now().getEpochSecond());
        var response = slack(new String(body, java.nio.charset.StandardCharsets.ISO_8859_1), withSignature ? timestamp : null,
                withSignature ? "v0=" + "0".repeat(64) : null);
        assertDocumented(response, Set.of(401, 413), new String(body, java.nio.charset.StandardCharsets.ISO_8859_1));
    }

    @Property
    void aMessageToTheMcpGatewayIsAnsweredAsDocumented(@ForAll("mcpMessages") String body, @ForAll boolean inSession) {
        var response = mcp(body, inSession ? mcpSession : null);
        assertThat(response.status()).as("status for %s: %s", body, response.raw().body()).isIn(MCP);
        assertThat(response.raw().body()).as("answer to %s", body)
                .doesNotContain("stackTrace", "Exception", "java.", ".java:", "io.modelcontextprotocol", "tools.jackson", "jakarta.");
        if (response.status() >= 400) {
            var error = JSON.readTree(response.raw().body());
            assertThat(error.path("jsonrpc").asString()).as("JSON-RPC error for %s", body).isEqualTo("2.0");
            assertThat(error.path("error").path("code").isInt()).isTrue();
        }
    }

    private static Api.Response mcp(String body, String session) {
        var request = HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/mcp")).timeout(java.time.Duration.ofSeconds(30))
                .header("Authorization", "Bearer " + desktop).header("Content-Type", "application/json")
                .header("Accept", "application/json, text/event-stream").POST(HttpRequest.BodyPublishers.ofString(body));
        if (session != null) {
            request.header("Mcp-Session-Id", session);
        }
        return api.send(request);
    }

    /** JSON-RPC shapes: requests of every method and none, notifications, responses, batches, huge ids, deep params. */
    @Provide
    Arbitrary<String> mcpMessages() {
        Arbitrary<String> method = Arbitraries.of("initialize", "ping", "tools/list", "tools/call", "resources/list", "prompts/get",
                "logging/setLevel", "completion/complete", "tasks/get", "notifications/initialized", "notifications/cancelled",
                "notifications/progress", "notifications/roots/list_changed", "no/such/method", "", "rpc.discover");
        Arbitrary<String> id = Arbitraries.oneOf(Arbitraries.of("1", "0", "-1", "null", "1.5", "\"\"", "\"abc\"", "true", "{}", "[]",
                "9".repeat(400), "1e400", "9223372036854775808", quote("x".repeat(300))), Arbitraries.integers().map(String::valueOf));
        Arbitrary<String> params = Arbitraries.oneOf(json(2), object(2),
                Combinators.combine(Arbitraries.of("fs.write_file", "fs.read_text_file", "docs.read", "", "x".repeat(200)), json(2))
                        .as((name, arguments) -> "{\"name\":" + quote(name) + ",\"arguments\":" + arguments + "}"),
                Arbitraries.integers().between(1, 3000).map(depth -> "{\"a\":".repeat(depth) + "1" + "}".repeat(depth)));
        Arbitrary<String> request = Combinators.combine(id, method, params)
                .as((i, m, p) -> "{\"jsonrpc\":\"2.0\",\"id\":" + i + ",\"method\":" + quote(m) + ",\"params\":" + p + "}");
        Arbitrary<String> notification = Combinators.combine(method, params)
                .as((m, p) -> "{\"jsonrpc\":\"2.0\",\"method\":" + quote(m) + ",\"params\":" + p + "}");
        Arbitrary<String> response = Combinators.combine(id, json(2))
                .as((i, r) -> "{\"jsonrpc\":\"2.0\",\"id\":" + i + ",\"result\":" + r + "}");
        Arbitrary<String> error = Combinators.combine(id, json(1))
                .as((i, e) -> "{\"jsonrpc\":\"2.0\",\"id\":" + i + ",\"error\":" + e + "}");
        Arbitrary<String> batch = Arbitraries.oneOf(request, notification).list().ofMaxSize(3).map(items -> "[" + String.join(",", items) + "]");
        return Arbitraries.frequencyOf(Tuple.of(5, request), Tuple.of(2, notification), Tuple.of(2, response), Tuple.of(1, error),
                Tuple.of(1, batch), Tuple.of(1, json(2)), Tuple.of(1, Arbitraries.strings().ofMaxLength(40)));
    }

    private static Api.Response slack(String body, String timestamp, String signature) {
        var request = HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/slack/interactions"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(body, java.nio.charset.StandardCharsets.ISO_8859_1));
        if (timestamp != null) {
            request.header("X-Slack-Request-Timestamp", timestamp);
        }
        if (signature != null) {
            request.header("X-Slack-Signature", signature);
        }
        return api.send(request);
    }

    private static void assertDocumented(Api.Response response, Set<Integer> documented, String body) {
        assertThat(response.status()).as("status for %s: %s", body, response.raw().body()).isIn(documented);
        if (response.status() >= 400) {
            assertThat(response.contentType()).as("content type for %s", body).startsWith("application/problem+json");
            assertThat(response.code()).as("code for %s", body).isNotBlank();
        }
    }

    @Provide
    Arbitrary<String> askBodies() {
        Arbitrary<String> tool = Arbitraries.of("docs.read", "payments.transfer", "payments.refund", "db.query", "gadgets.launch",
                "Payments Transfer", "");
        Arbitrary<String> shaped = Combinators.combine(tool, object(2), field(), json(1))
                .as((name, arguments, extra, value) -> "{\"tool\":" + quote(name) + ",\"arguments\":" + arguments + "," + extra + ":" + value + "}");
        return Arbitraries.frequencyOf(Tuple.of(4, shaped), Tuple.of(2, object(3)), Tuple.of(1, json(3)), Tuple.of(1, Arbitraries.strings().ofMaxLength(40)));
    }

    @Provide
    Arbitrary<String> voteBodies() {
        Arbitrary<String> shaped = Combinators.combine(Arbitraries.of("APPROVE", "DENY", "approve", "MAYBE", ""), json(1))
                .as((vote, comment) -> "{\"vote\":" + quote(vote) + ",\"comment\":" + comment + "}");
        return Arbitraries.frequencyOf(Tuple.of(3, shaped), Tuple.of(2, object(2)), Tuple.of(1, json(2)));
    }

    @Provide
    Arbitrary<String> redeemBodies() {
        Arbitrary<String> token = Arbitraries.oneOf(Arbitraries.strings().ofMaxLength(60),
                Arbitraries.strings().withCharRange('A', 'z').ofMaxLength(30).list().ofSize(3).map(parts -> String.join(".", parts)));
        Arbitrary<String> shaped = Combinators.combine(token, json(0))
                .as((grant, hash) -> "{\"grant\":" + quote(grant) + ",\"actionHash\":" + hash + "}");
        return Arbitraries.frequencyOf(Tuple.of(3, shaped), Tuple.of(2, object(2)), Tuple.of(1, json(2)));
    }

    /** Interaction payloads shaped like Slack's (clicks and the deny dialog), with generated parts, and anything else. */
    @Provide
    Arbitrary<String> slackPayloads() {
        Arbitrary<String> user = Arbitraries.of("U0ALICE", "U0BOB", "U0NOBODY", "", "\"");
        Arbitrary<String> action = Arbitraries.of("countersign.approve", "countersign.deny", "countersign.open", "other");
        Arbitrary<String> request = Arbitraries.oneOf(Arbitraries.just(pending), Arbitraries.strings().ofMaxLength(30));
        Arbitrary<String> click = Combinators.combine(user, action, request, json(1)).as((who, id, value, extra) -> """
                {"type":"block_actions","user":{"id":%s},"trigger_id":"1337.%s.f00","team":{"id":"T0ACME"},
                 "container":{"type":"message","message_ts":"1700000000.000100","channel_id":"C0FINANCE"},
                 "channel":{"id":"C0FINANCE"},"actions":[{"action_id":%s,"value":%s,"type":"button","extra":%s}]}"""
                .formatted(quote(who), UUID.randomUUID(), quote(id), quote(value), extra));
        Arbitrary<String> dialog = Combinators.combine(user, request, json(0)).as((who, value, comment) -> """
                {"type":"view_submission","user":{"id":%s},"trigger_id":"1337.%s.f00","team":{"id":"T0ACME"},
                 "view":{"id":"V1","type":"modal","callback_id":"countersign.deny","private_metadata":%s,
                         "state":{"values":{"comment":{"comment":{"type":"plain_text_input","value":%s}}}}}}"""
                .formatted(quote(who), UUID.randomUUID(), quote(value + "|C0FINANCE"), comment));
        return Arbitraries.frequencyOf(Tuple.of(3, click), Tuple.of(2, dialog), Tuple.of(1, object(2)), Tuple.of(1, json(2)),
                Tuple.of(1, Arbitraries.strings().ofMaxLength(40)));
    }

    /** Any JSON value, nested up to {@code depth}: the numbers and strings that broke parsers before among them. */
    private static Arbitrary<String> json(int depth) {
        Arbitrary<String> leaf = Arbitraries.oneOf(
                Arbitraries.strings().ofMaxLength(24).map(ApiBodiesFuzzTest::quote),
                Arbitraries.of("0", "-0", "1e400", "-1.8e308", "1.8e308", "9007199254740993", "12345678901234567891", "1e-400", "0.1", "1E20",
                        "9".repeat(400), "true", "false", "null", "\"\"", "\"\\u0000\"", "\"\\ud800\""),
                Arbitraries.integers().map(String::valueOf),
                Arbitraries.doubles().map(String::valueOf));
        if (depth == 0) {
            return leaf;
        }
        Arbitrary<String> array = Arbitraries.lazy(() -> json(depth - 1)).list().ofMaxSize(4).map(items -> "[" + String.join(",", items) + "]");
        return Arbitraries.frequencyOf(Tuple.of(3, leaf), Tuple.of(2, object(depth)), Tuple.of(1, array));
    }

    private static Arbitrary<String> object(int depth) {
        Arbitrary<String> value = depth == 0 ? json(0) : Arbitraries.lazy(() -> json(depth - 1));
        return Combinators.combine(field(), value).as((name, v) -> name + ":" + v).list().ofMaxSize(5)
                .map(members -> "{" + String.join(",", members) + "}");
    }

    /** A member name: mostly ones the API knows, so that generated bodies reach past the first check. */
    private static Arbitrary<String> field() {
        return Arbitraries.frequencyOf(
                Tuple.of(4, Arbitraries.of(List.of("tool", "arguments", "amount", "value", "currency", "category", "environment", "resource",
                        "dataClassification", "onBehalfOf", "justification", "sessionId", "context", "vote", "comment", "grant",
                        "actionHash", "from", "to", "database", "cluster"))),
                Tuple.of(1, Arbitraries.strings().ofMaxLength(8))).map(ApiBodiesFuzzTest::quote);
    }

    private static String quote(String text) {
        return JSON.writeValueAsString(text);
    }
}
