package dev.countersign.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import dev.countersign.Api;
import dev.countersign.CountersignApplication;
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
 * Generated bodies, well-formed or not, at the ask, vote and redeem endpoints of a running
 * application: every answer is one the contract documents, every refusal a problem with a code,
 * never a 500; and the audit chain holds afterwards. Bounded by {@code jqwik.tries.default}
 * (250 per property in the test command; see docs/threat-model.md for a longer run).
 */
class ApiBodiesFuzzTest {

    private static final Set<Integer> ASK = Set.of(200, 201, 400, 403, 409, 413, 415, 422);
    private static final Set<Integer> VOTE = Set.of(200, 400, 403, 404, 409, 415, 422);
    private static final Set<Integer> REDEEM = Set.of(200, 400, 403, 409, 415, 422);
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private static ConfigurableApplicationContext app;
    private static Api api;
    private static String agent;
    private static String bob;
    private static String gateway;
    private static String pending;
    private static String port;

    @BeforeContainer
    static void start() {
        app = new SpringApplicationBuilder(CountersignApplication.class).profiles("test")
                .run("--server.port=0", "--spring.datasource.url=jdbc:h2:mem:fuzz-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1",
                        "--logging.level.root=warn");
        port = app.getEnvironment().getProperty("local.server.port");
        api = new Api(Integer.parseInt(port));
        agent = api.token("billing-agent", "billing-agent-secret");
        bob = api.token("bob", "bob");
        gateway = api.token("tool-gateway", "tool-gateway-secret");
        pending = api.ask(agent, Api.largePayment()).body().get("id").asString();
    }

    @AfterContainer
    static void stop() {
        try {
            var verified = api.get(api.token("admin", "admin"), "/api/v1/audit/verify").body();
            assertThat(verified.get("valid").asBoolean()).as(verified.toString()).isTrue();
        } finally {
            app.close();
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
