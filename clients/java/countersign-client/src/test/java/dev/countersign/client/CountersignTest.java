package dev.countersign.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The client's own rules, against a scripted HTTP server (the adapters' suites in app/ run it against a real
 * Countersign): which calls are retried and how, which never are, and what the keys and hashes are.
 */
class CountersignTest {

    private static final String PENDING = "{\"id\":\"act_1\",\"status\":\"PENDING\",\"tool\":\"t\",\"actionHash\":\"sha256:x\"}";

    private final ScriptedCountersign server = new ScriptedCountersign();
    private final Countersign countersign = server.client();

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void anAskIsRetriedAfterA503WithTheSameIdempotencyKeyAndHonoursRetryAfter() {
        server.then(new ScriptedCountersign.Answer(503, "{\"code\":\"service_unavailable\",\"detail\":\"database away\"}", Map.of("Retry-After", "0")));
        server.then(new ScriptedCountersign.Answer(429, "{\"code\":\"too_many_requests\"}", Map.of()));
        server.then(new ScriptedCountersign.Answer(201, PENDING, Map.of()));

        ActionRequest request = countersign.ask(Ask.of("payments.transfer", Map.of("amount", "1")).callId("run-7/step-2"));

        assertThat(request.id()).isEqualTo("act_1");
        assertThat(server.seen()).hasSize(3).extracting(s -> s.headers().get("idempotency-key")).containsOnly("call-" + sha256("run-7/step-2"));
        assertThat(server.seen()).extracting(s -> s.headers().get("authorization")).containsOnly("Bearer agent-token");
    }

    @Test
    void aCallIdMakesTheKeyWithoutOneEveryAskIsANewCallAndTheHashIgnoresKeyOrder() {
        Map<String, Object> one = new LinkedHashMap<>();
        one.put("a", 1);
        one.put("b", "x");
        Map<String, Object> other = new LinkedHashMap<>();
        other.put("b", "x");
        other.put("a", 1);

        assertThat(Ask.of("t", one).callId("step-1").idempotencyKey()).isEqualTo(Ask.of("t", other).callId("step-1").idempotencyKey())
                .isEqualTo("call-" + sha256("step-1"));
        assertThat(Ask.of("t", one).idempotencyKey()).isNotEqualTo(Ask.of("t", one).idempotencyKey()).matches("ask-[0-9a-f-]{36}");
        assertThat(ActionHash.of("t", other)).isEqualTo(ActionHash.of("t", one))
                .isEqualTo("sha256:" + sha256("{\"arguments\":{\"a\":1,\"b\":\"x\"},\"tool\":\"t\"}"));
    }

    @Test
    void anAskWithoutACallIdSendsOneKeyForAllItsRetries() {
        server.then(new ScriptedCountersign.Answer(503, "{\"code\":\"service_unavailable\"}", Map.of("Retry-After", "0")));
        server.then(new ScriptedCountersign.Answer(201, PENDING, Map.of()));

        countersign.ask(Ask.of("t", Map.of()));

        assertThat(server.seen()).hasSize(2).extracting(s -> s.headers().get("idempotency-key")).doesNotContainNull().containsOnly(server.seen().getFirst().headers().get("idempotency-key"));
    }

    @Test
    void aRefusalIsATypedProblemAndIsNotRetried() {
        server.then(new ScriptedCountersign.Answer(422, "{\"code\":\"unknown_tool\",\"status\":422,\"detail\":\"register it first\"}", Map.of()));

        assertThatThrownBy(() -> countersign.ask(Ask.of("payments.teleport", Map.of())))
                .isInstanceOfSatisfying(CountersignProblem.class, problem -> {
                    assertThat(problem.status()).isEqualTo(422);
                    assertThat(problem.code()).isEqualTo("unknown_tool");
                    assertThat(problem.problem().get("detail").asString()).isEqualTo("register it first");
                });
        assertThat(server.seen()).hasSize(1);
    }

    @Test
    void waitingLongPollsUntilTheDeadlineAndPausesWhenAnAnswerComesBackEarly() {
        for (int i = 0; i < 200; i++) {
            server.then(new ScriptedCountersign.Answer(200, PENDING, Map.of()));
        }

        ActionRequest request = countersign.await("act_1", Duration.ofMillis(1500));

        assertThat(request.pending()).isTrue();
        assertThat(server.seen()).extracting(ScriptedCountersign.Seen::path).startsWith("/api/v1/actions/act_1", "/api/v1/actions/act_1?wait=1")
                .allMatch(path -> path.equals("/api/v1/actions/act_1") || path.equals("/api/v1/actions/act_1?wait=1"));
        // Every answer came at once: without the pause between polls this loop would have asked hundreds of times.
        assertThat(server.seen().size()).isBetween(2, 40);
    }

    @Test
    void aRedemptionIsNeverRetriedAndTheToolDoesNotRunWhenItFails() {
        server.then(new ScriptedCountersign.Answer(503, "{\"code\":\"service_unavailable\"}", Map.of("Retry-After", "0")));
        var approved = new ActionRequest("act_1", "APPROVED", "t", "sha256:x", Map.of(), null, null,
                new ActionRequest.Grant("jws", null));
        List<String> ran = new ArrayList<>();

        Outcome<Boolean> outcome = countersign.runApproved(approved, "t", Map.of(), () -> ran.add("ran"));

        assertThat(outcome).isInstanceOfSatisfying(Outcome.Refused.class, refused -> assertThat(refused.code()).isEqualTo("service_unavailable"));
        assertThat(server.seen()).hasSize(1).first().satisfies(call -> {
            assertThat(call.path()).isEqualTo("/api/v1/grants/redeem");
            assertThat(call.headers().get("authorization")).isEqualTo("Bearer gateway-token");
        });
        assertThat(ran).isEmpty();
    }

    private static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
