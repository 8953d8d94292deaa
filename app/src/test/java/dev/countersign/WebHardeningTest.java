package dev.countersign;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpRequest;
import java.util.List;
import dev.countersign.testing.RawHttp;
import org.junit.jupiter.api.Test;

/**
 * What a browser and an attacker see at the edges (issue 14, finding 8): console pages carry the
 * headers that keep them out of frames and caches, the session lives only in a cookie, refused
 * URLs answer problem+json, and only admins read the actuator beyond health.
 */
@EndToEndTest
class WebHardeningTest extends EndToEndBase {

    @Test
    void consolePagesAreNotFramedCachedOrSniffed() {
        var login = api.send(HttpRequest.newBuilder(URI.create(base() + "/login")).GET());

        assertThat(login.status()).isEqualTo(200);
        assertThat(login.header("X-Content-Type-Options")).isEqualTo("nosniff");
        assertThat(login.header("Cache-Control")).contains("no-store");
        assertThat(login.header("Content-Security-Policy")).contains("frame-ancestors 'none'");
        assertThat(login.raw().headers().allValues("Set-Cookie")).isNotEmpty()
                .allSatisfy(cookie -> assertThat(cookie).containsIgnoringCase("HttpOnly").containsIgnoringCase("SameSite=Lax"));
    }

    @Test
    void theSessionNeverTravelsInTheUrl() {
        var root = api.send(HttpRequest.newBuilder(URI.create(base() + "/")).GET());

        assertThat(root.status()).isBetween(200, 399);
        assertThat(String.valueOf(root.header("Location"))).doesNotContainIgnoringCase("jsessionid");
        assertThat(root.raw().body()).doesNotContainIgnoringCase(";jsessionid=");
    }

    @Test
    void urlsTheFirewallRefusesAnswerProblemJson() {
        for (String path : List.of("/api/v1/actions/..;/audit", "/api/v1/actions/%2e%2e/audit", "/api/v1/actions;x=1", "/api/v1/a%2Fb")) {
            var refused = api.get(agent, path);
            assertThat(refused.status()).as(path).isEqualTo(400);
            assertThat(refused.contentType()).as(path).startsWith("application/problem+json");
            assertThat(refused.code()).as(path).isEqualTo("bad_request");
        }
    }

    @Test
    void whatTheContainerRefusesItselfIsAProblemToo() {
        var oversized = api.send(HttpRequest.newBuilder(URI.create(base() + "/api/v1/actions")).header("Authorization", "Bearer " + agent)
                .header("X-Padding", "a".repeat(20_000)).GET());

        assertThat(oversized.status()).isEqualTo(431);
        assertThat(oversized.contentType()).startsWith("application/problem+json");
        assertThat(oversized.code()).isEqualTo("bad_request");
        assertThat(oversized.raw().body()).contains("headers under 8 KiB");
    }

    @Test
    void traceIsRefusedAsAProblemOnEveryPath() {
        for (String path : List.of("/api/v1/actions", "/", "/login", "/mcp", "/.well-known/jwks.json", "/no/such/path")) {
            var trace = api.send(HttpRequest.newBuilder(URI.create(base() + path)).header("Authorization", "Bearer " + agent)
                    .method("TRACE", HttpRequest.BodyPublishers.noBody()));
            assertThat(trace.status()).as(path).isEqualTo(405);
            assertThat(trace.code()).as(path).isEqualTo("method_not_allowed");
            assertThat(trace.contentType()).as(path).startsWith("application/problem+json");
            assertThat(trace.raw().body()).as(path).doesNotContain(agent);
        }
    }

    @Test
    void beyondHealthTheActuatorIsForAdmins() {
        assertThat(api.get(null, "/actuator/health").status()).isEqualTo(200);
        assertThat(api.get(agent, "/actuator").code()).isEqualTo("forbidden");
        assertThat(api.get(agent, "/actuator/info").code()).isEqualTo("forbidden");
        assertThat(api.get(person("alice"), "/actuator/info").code()).isEqualTo("forbidden");
        assertThat(api.get(person("admin"), "/actuator/info").status()).isEqualTo(200);
    }

    private String base() {
        return "http://localhost:" + port;
    }

    /**
     * A refusal sent before the request's body arrived (a bad token on a POST) must say {@code Connection: close}:
     * the server will not read that body, and a client that reused the connection for its next call would get no
     * answer at all ("header parser received no bytes": ApiErrorsTest's second ask with a bad token, once in CI).
     */
    @Test
    void aRefusalBeforeTheBodyArrivedClosesTheConnectionOpenly() throws Exception {
        String head = RawHttp.answerWithoutBody(port, "/api/v1/actions", "Bearer not-a-token");
        assertThat(head).startsWith("HTTP/1.1 401");
        assertThat(head.toLowerCase()).contains("connection: close");

        // Refused by the controller before it read the body (no Idempotency-Key): the same.
        String noKey = RawHttp.answer(port, "POST /api/v1/actions HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer " + agent
                + "\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n");
        assertThat(noKey).startsWith("HTTP/1.1 400");
        assertThat(noKey.toLowerCase()).contains("connection: close");

        // Refused after the whole body was read: the connection stays open for the next call.
        String body = "{not json";
        String readFirst = RawHttp.answer(port, "POST /api/v1/actions HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer " + agent
                + "\r\nContent-Type: application/json\r\nIdempotency-Key: k-2\r\nContent-Length: " + body.length() + "\r\n\r\n" + body);
        assertThat(readFirst).startsWith("HTTP/1.1 400");
        assertThat(readFirst.toLowerCase()).doesNotContain("connection: close");
    }
}
