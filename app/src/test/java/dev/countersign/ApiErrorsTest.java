package dev.countersign;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.proc.SecurityContext;
import java.net.URI;
import java.net.http.HttpRequest;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.security.oauth2.jwt.JwtClaimsSet;
import org.springframework.security.oauth2.jwt.JwtEncoderParameters;
import org.springframework.security.oauth2.jwt.NimbusJwtEncoder;

/** Every refusal is RFC 9457 problem+json with the contract's stable code, including the framework's own. */
@EndToEndTest
class ApiErrorsTest extends EndToEndBase {

    @Autowired
    JWKSource<SecurityContext> issuerKeys;

    static void assertProblem(Api.Response response, int status, String code) {
        assertThat(response.status()).as(response.raw().body()).isEqualTo(status);
        assertThat(response.contentType()).startsWith("application/problem+json");
        assertThat(response.code()).isEqualTo(code);
        assertThat(response.body().get("status").asInt()).isEqualTo(status);
        assertThat(response.body().get("title").asString()).isNotBlank();
        assertThat(response.body().get("type").asString()).isNotBlank();
        assertThat(response.body().get("detail").asString()).isNotBlank();
    }

    @Test
    void missingOrBadTokenIs401() {
        assertProblem(api.ask(null, Api.largePayment()), 401, "unauthorized");
        assertProblem(api.ask("not-a-jwt", Api.largePayment()), 401, "unauthorized");
        assertProblem(api.get(null, "/api/v1/approvals"), 401, "unauthorized");
    }

    @Test
    void tokenForAnotherAudienceIs401() {
        var claims = JwtClaimsSet.builder().issuer("http://localhost:8080").subject("billing-agent")
                .audience(List.of("some-other-service")).issuedAt(Instant.now()).expiresAt(Instant.now().plusSeconds(300)).build();
        String foreign = new NimbusJwtEncoder(issuerKeys).encode(JwtEncoderParameters.from(claims)).getTokenValue();
        assertProblem(api.ask(foreign, Api.largePayment()), 401, "unauthorized");
    }

    @Test
    void expiredTokenIs401() {
        var claims = JwtClaimsSet.builder().issuer("http://localhost:8080").subject("billing-agent")
                .audience(List.of("countersign")).issuedAt(Instant.now().minusSeconds(3600)).expiresAt(Instant.now().minusSeconds(600)).build();
        String expired = new NimbusJwtEncoder(issuerKeys).encode(JwtEncoderParameters.from(claims)).getTokenValue();
        assertProblem(api.ask(expired, Api.largePayment()), 401, "unauthorized");
        // Expired 30 s ago: within Spring's default 60 s of skew, beyond Countersign's 10 s.
        var justExpired = JwtClaimsSet.builder().issuer("http://localhost:8080").subject("billing-agent")
                .audience(List.of("countersign")).issuedAt(Instant.now().minusSeconds(600)).expiresAt(Instant.now().minusSeconds(30)).build();
        assertProblem(api.ask(new NimbusJwtEncoder(issuerKeys).encode(JwtEncoderParameters.from(justExpired)).getTokenValue(),
                Api.largePayment()), 401, "unauthorized");
    }

    @Test
    void aRevokedTokenStopsWorkingAndNoClientReadsAnothersToken() {
        String token = api.token("billing-agent", "billing-agent-secret");
        String docs = "{\"tool\":\"docs.read\",\"arguments\":{\"doc\":\"" + java.util.UUID.randomUUID() + "\"}}";
        assertThat(api.ask(token, docs).status()).isEqualTo(201);

        var revoked = issuerCall("billing-agent", "billing-agent-secret", "/oauth2/revoke", "token=" + token + "&token_type_hint=access_token");
        assertThat(revoked.status()).isEqualTo(200);
        assertProblem(api.ask(token, docs.replace("docs.read", "docs.list")), 401, "unauthorized");

        var introspected = issuerCall("carol", "carol", "/oauth2/introspect", "token=" + agent);
        assertThat(introspected.status()).isEqualTo(400);
        assertThat(introspected.raw().body()).doesNotContain("\"active\":true").doesNotContain("billing-agent");
    }

    private Api.Response issuerCall(String client, String secret, String path, String form) {
        String basic = java.util.Base64.getEncoder().encodeToString((client + ":" + secret).getBytes(java.nio.charset.StandardCharsets.UTF_8));
        return api.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + path)).header("Authorization", "Basic " + basic)
                .header("Content-Type", "application/x-www-form-urlencoded").POST(HttpRequest.BodyPublishers.ofString(form)));
    }

    @Test
    void idempotencyKeyIsRequiredAndChecked() {
        assertProblem(api.ask(agent, null, Api.largePayment()), 400, "idempotency_key_missing");
        assertProblem(api.ask(agent, "x".repeat(256), Api.largePayment()), 400, "idempotency_key_invalid");
        assertProblem(api.ask(agent, "has space", Api.largePayment()), 400, "idempotency_key_invalid");
    }

    @Test
    void malformedJsonIs400() {
        assertProblem(api.ask(agent, "{\"tool\": "), 400, "malformed_json");
        assertProblem(api.ask(agent, "[1,2]"), 400, "malformed_json");
        assertProblem(api.ask(agent, "{\"tool\":\"docs.read\",\"tool\":\"payments.transfer\",\"arguments\":{}}"), 400, "malformed_json");
    }

    @Test
    void numbersNoDoubleHoldsAreRefusedWhereverTheyAre() {
        String digits400 = "9".repeat(400);
        for (String number : List.of("1e400", "1.8e308", "-1.8e308", digits400, "9007199254740993")) {
            assertProblem(api.ask(agent, "{\"tool\":\"docs.read\",\"arguments\":{\"n\":" + number + "}}"), 422, "validation_failed");
            // Outside the arguments too: the whole body is canonicalised for its fingerprint.
            assertProblem(api.ask(agent, "{\"tool\":\"docs.read\",\"arguments\":{},\"context\":{\"n\":" + number + "}}"), 422,
                    "validation_failed");
        }
    }

    @Test
    void aBodyThatIsNotUtf8IsRefusedWithWhatTheEndpointTakes() {
        byte[] utf16 = "{\"tool\":\"docs.read\",\"arguments\":{}}".getBytes(java.nio.charset.StandardCharsets.UTF_16);
        for (String type : List.of("application/json", "application/json; charset=UTF-16")) {
            var response = api.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/api/v1/actions"))
                    .header("Authorization", "Bearer " + agent).header("Idempotency-Key", java.util.UUID.randomUUID().toString())
                    .header("Content-Type", type).POST(HttpRequest.BodyPublishers.ofByteArray(utf16)));
            assertThat(response.status()).as(type).isIn(400, 415);
            assertThat(response.contentType()).startsWith("application/problem+json");
            assertThat(response.raw().body()).contains("UTF-8");
        }
    }

    @Test
    void aBodyWhoseCanonicalFormOutgrowsWhatIsStoredIsRefusedBeforeAnythingIsWritten() {
        // 1e20 is exact as a double, and RFC 8785 writes it out in 21 digits: 13,000 of them fit in 64 KiB as sent, not as stored.
        String numbers = String.join(",", java.util.Collections.nCopies(13_000, "1e20"));
        var response = api.ask(agent, "{\"tool\":\"docs.read\",\"arguments\":{\"n\":[" + numbers + "]}}");
        assertThat(response.status()).isEqualTo(413);
        assertThat(response.code()).isEqualTo("payload_too_large");
    }

    @Test
    void aGrantWithoutAKeyIdIsInvalidNotAFault() {
        String header = java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(
                "{\"alg\":\"ES256\",\"typ\":\"countersign-grant+jwt\"}".getBytes());
        String claims = java.util.Base64.getUrlEncoder().withoutPadding().encodeToString("{\"jti\":\"x\"}".getBytes());
        var response = api.redeem(api.token("tool-gateway", "tool-gateway-secret"), header + "." + claims + ".c2ln", "sha256:" + "0".repeat(64));
        assertProblem(response, 422, "grant_invalid");
    }

    @Test
    void invalidFieldsAre422WithEveryFieldListed() {
        var response = api.ask(agent, """
                {"tool":"Payments Transfer","category":"GAMBLING","arguments":"not an object",
                 "amount":{"value":"12,50","currency":"euro"},"dataClassification":"SECRET","justification":"%s"}"""
                .formatted("x".repeat(2001)));
        assertProblem(response, 422, "validation_failed");
        assertThat(response.body().get("errors").valueStream().map(e -> e.get("field").asString()))
                .contains("tool", "category", "arguments", "amount.value", "amount.currency", "dataClassification", "justification");
        assertProblem(api.ask(agent, "{\"arguments\":{}}"), 422, "validation_failed");
        assertProblem(api.ask(agent, "{\"tool\":\"docs.read\",\"arguments\":{},\"enviroment\":\"prod\"}"), 422, "validation_failed");
    }

    @Test
    void toolNamesFollowMcpsRuleCaseSensitive() {
        // Upper case is a valid name now (MCP's rule), so the call gets as far as the agent's tool list: docs.* does not cover Docs.read.
        assertProblem(api.ask(agent, "{\"tool\":\"Docs.read\",\"arguments\":{}}"), 403, "forbidden");
        var tiny = api.ask(agent, "{\"tool\":\"docs.getTinyImage\",\"arguments\":{}}");
        assertThat(tiny.status()).isEqualTo(201);
        assertThat(tiny.body().get("tool").asString()).isEqualTo("docs.getTinyImage");
        for (String invalid : List.of("docs read", "docs/read", "docs.réad", "x".repeat(129), "")) {
            var response = api.ask(agent, "{\"tool\":\"" + invalid + "\",\"arguments\":{}}");
            assertProblem(response, 422, "validation_failed");
            assertThat(response.body().get("errors").valueStream().map(e -> e.get("field").asString())).containsExactly("tool");
        }
    }

    @Test
    void bodyOver64KiBIs413() {
        String big = "{\"tool\":\"docs.read\",\"arguments\":{\"blob\":\"" + "a".repeat(70_000) + "\"}}";
        assertProblem(api.ask(agent, big), 413, "payload_too_large");
    }

    @Test
    void toolOutsideTheAgentsListIs403() {
        assertProblem(api.ask(agent, "{\"tool\":\"infra.deploy\",\"arguments\":{}}"), 403, "forbidden");
    }

    @Test
    void humanTokenNeverAsksAndAgentTokenNeverVotes() {
        String alice = api.token("alice", "alice");
        assertProblem(api.ask(alice, Api.largePayment()), 403, "forbidden");
        String id = api.ask(agent, Api.largePayment()).body().get("id").asString();
        assertProblem(api.vote(agent, id, "APPROVE", null), 403, "forbidden");
        assertProblem(api.redeem(agent, "x.y.z", "sha256:00"), 403, "forbidden");
    }

    @Test
    void anotherAgentsRequestIsNotFound() {
        String id = api.ask(agent, Api.largePayment()).body().get("id").asString();
        String ops = api.token("ops-agent", "ops-agent-secret");
        assertProblem(api.get(ops, "/api/v1/actions/" + id), 404, "not_found");
        assertProblem(api.post(ops, "/api/v1/actions/" + id + "/cancel", ""), 404, "not_found");
        assertProblem(api.get(agent, "/api/v1/actions/act_doesnotexist"), 404, "not_found");
        assertProblem(api.get(api.token("alice", "alice"), "/api/v1/actions/" + id), 404, "not_found");
        assertProblem(api.get(api.token("tool-gateway", "tool-gateway-secret"), "/api/v1/actions/" + id), 404, "not_found");
    }

    @Test
    void voteRulesHaveTheirCodes() {
        String id = api.ask(agent, Api.largePayment()).body().get("id").asString();
        // One JSON reader for the whole API: a key twice is refused here as in the ask, never "the last one wins".
        var twice = api.post(api.token("bob", "bob"), "/api/v1/actions/" + id + "/votes", "{\"vote\":\"DENY\",\"vote\":\"APPROVE\"}");
        assertThat(twice.status()).isEqualTo(400);
        assertThat(twice.contentType()).startsWith("application/problem+json");
        assertThat(api.get(agent, "/api/v1/actions/" + id).body().get("decision").get("votes")).isEmpty();
        assertProblem(api.vote(api.token("carol", "carol"), id, "APPROVE", null), 403, "not_eligible");
        assertProblem(api.vote(api.token("dana", "dana"), id, "APPROVE", null), 403, "self_approval");
        String alice = api.token("alice", "alice");
        assertThat(api.vote(alice, id, "APPROVE", null).status()).isEqualTo(200);
        assertProblem(api.vote(alice, id, "APPROVE", null), 409, "already_voted");
        assertProblem(api.vote(alice, id, "MAYBE", null), 422, "validation_failed");
        assertProblem(api.vote(alice, "act_doesnotexist", "APPROVE", null), 404, "not_found");
    }

    @Test
    void onBehalfOfMakesThatPersonTheSubject() {
        String body = Api.largePayment().replace("\"sessionId\"", "\"onBehalfOf\":\"alice@example.com\",\"sessionId\"");
        String id = api.ask(agent, body).body().get("id").asString();
        assertProblem(api.vote(api.token("alice", "alice"), id, "APPROVE", null), 403, "self_approval");
    }

    @Test
    void aSubjectRespeltIsStillTheSubjectAndAStrangerIsRefused() {
        for (String spelling : List.of(" alice ", "user:alice", "USER:Alice", "ALICE@example.com")) {
            var asked = api.ask(agent, Api.largePayment().replace("\"sessionId\"", "\"onBehalfOf\":\"" + spelling + "\",\"sessionId\""));
            assertThat(asked.status()).as(spelling).isEqualTo(201);
            assertThat(asked.body().get("onBehalfOf").asString()).as(spelling).isEqualTo("alice");
            assertProblem(api.vote(api.token("alice", "alice"), asked.body().get("id").asString(), "APPROVE", null), 403, "self_approval");
        }
        var stranger = api.ask(agent, Api.largePayment().replace("\"sessionId\"", "\"onBehalfOf\":\"mallory@evil.example\",\"sessionId\""));
        assertProblem(stranger, 422, "validation_failed");
        assertThat(stranger.body().at("/errors/0/field").asString()).isEqualTo("onBehalfOf");
    }

    @Test
    void everySubjectOfACoalescedRequestIsKeptFromApprovingIt() {
        String payment = Api.largePayment();
        String id = api.ask(agent, payment.replace("\"sessionId\"", "\"onBehalfOf\":\"alice\",\"sessionId\"")).body().get("id").asString();
        var again = api.ask(agent, payment.replace("\"sessionId\"", "\"onBehalfOf\":\"bob\",\"sessionId\""));
        assertThat(again.header("Coalesced")).isEqualTo("true");
        assertThat(again.body().get("id").asString()).isEqualTo(id);

        assertProblem(api.vote(api.token("bob", "bob"), id, "APPROVE", null), 403, "self_approval");
        assertProblem(api.vote(api.token("alice", "alice"), id, "APPROVE", null), 403, "self_approval");
        assertThat(api.get(agent, "/api/v1/actions/" + id).body().get("status").asString()).isEqualTo("PENDING");
    }

    @Test
    void waitOutsideZeroToSixtyIs422() {
        String id = api.ask(agent, Api.largePayment()).body().get("id").asString();
        assertProblem(api.get(agent, "/api/v1/actions/" + id + "?wait=61"), 422, "validation_failed");
        assertProblem(api.get(agent, "/api/v1/actions/" + id + "?wait=soon"), 422, "validation_failed");
    }

    @Test
    void preferWaitIsHonouredAndAcknowledged() {
        String id = api.ask(agent, Api.largePayment()).body().get("id").asString();
        long start = System.nanoTime();
        var response = api.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/api/v1/actions/" + id))
                .header("Authorization", "Bearer " + agent).header("Prefer", "wait=1").GET());
        assertThat(response.status()).isEqualTo(200);
        assertThat(response.header("Preference-Applied")).isEqualTo("wait=1");
        assertThat(System.nanoTime() - start).isGreaterThanOrEqualTo(900_000_000L);
        assertThat(response.body().get("status").asString()).isEqualTo("PENDING");
    }

    @Test
    void frameworkErrorsUseTheSameShape() {
        assertProblem(api.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/api/v1/actions"))
                .header("Authorization", "Bearer " + agent).DELETE()), 405, "method_not_allowed");
        assertProblem(api.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/api/v1/actions"))
                .header("Authorization", "Bearer " + agent).header("Idempotency-Key", "k").header("Content-Type", "text/plain")
                .POST(HttpRequest.BodyPublishers.ofString("hello"))), 415, "unsupported_media_type");
        assertProblem(api.get(agent, "/api/v1/nothing-here"), 404, "not_found");
    }
}
