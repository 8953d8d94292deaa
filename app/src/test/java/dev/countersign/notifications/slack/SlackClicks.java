package dev.countersign.notifications.slack;

import com.slack.api.app_backend.SlackSignature;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.UUID;
import dev.countersign.testing.FakeSlack;
import org.springframework.test.context.DynamicPropertyRegistry;

/**
 * Sends interaction payloads to {@code /slack/interactions} the way Slack does: a form field
 * {@code payload} holding JSON, signed with the SDK's own signature generator (an implementation
 * independent of the one under test).
 */
final class SlackClicks {

    static final String SIGNING_SECRET = "8f742231b10e8888abcd99yyyzzz85a5";

    private final String url;
    private final HttpClient http = HttpClient.newHttpClient();
    private final SlackSignature.Generator signer = new SlackSignature.Generator(SIGNING_SECRET);

    /** Slack on against the fake: signed HTTP posts and Socket Mode over the fake's WebSocket, both at once. */
    static void slackIsOn(DynamicPropertyRegistry registry, FakeSlack slack) {
        registry.add("countersign.slack.bot-token", () -> FakeSlack.BOT_TOKEN);
        registry.add("countersign.slack.signing-secret", () -> SIGNING_SECRET);
        registry.add("countersign.slack.api-url", slack::apiUrl);
        registry.add("countersign.slack.default-channel", () -> "#approvals");
        registry.add("countersign.slack.console-url", () -> "https://countersign.example.com");
        registry.add("countersign.slack.sweep-interval", () -> "200ms");
        registry.add("countersign.slack.socket-mode", () -> "true");
        registry.add("countersign.slack.app-token", () -> FakeSlack.APP_TOKEN);
    }

    SlackClicks(int port) {
        this.url = "http://127.0.0.1:" + port + "/slack/interactions";
    }

    /** A signed request as Slack would send it now; {@link #send} delivers it (once, or again, as Slack retries do). */
    record Signed(String body, String timestamp, String signature) {
    }

    Signed sign(String payloadJson, Instant at) {
        String body = "payload=" + URLEncoder.encode(payloadJson, StandardCharsets.UTF_8);
        String timestamp = Long.toString(at.getEpochSecond());
        return new Signed(body, timestamp, signer.generate(timestamp, body));
    }

    Signed sign(String payloadJson) {
        return sign(payloadJson, Instant.now());
    }

    HttpResponse<String> send(Signed request) {
        return send(request.body(), request.timestamp(), request.signature());
    }

    HttpResponse<String> send(String body, String timestamp, String signature) {
        var builder = HttpRequest.newBuilder(URI.create(url))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (timestamp != null) {
            builder.header("X-Slack-Request-Timestamp", timestamp);
        }
        if (signature != null) {
            builder.header("X-Slack-Signature", signature);
        }
        try {
            return http.send(builder.build(), HttpResponse.BodyHandlers.ofString());
        } catch (Exception e) {
            throw new AssertionError("POST /slack/interactions failed", e);
        }
    }

    /** A click on one of the message's buttons ({@code block_actions}). */
    static String button(String slackUser, String channel, String messageTs, String actionId, String requestId) {
        return """
                {"type":"block_actions","user":{"id":"%s","username":"someone","team_id":"T0ACME"},"api_app_id":"A0COUNTERSIGN",
                 "token":"legacy-verification-token","trigger_id":"%s","team":{"id":"T0ACME","domain":"acme"},
                 "container":{"type":"message","message_ts":"%s","channel_id":"%s","is_ephemeral":false},
                 "channel":{"id":"%s","name":"finance-approvals"},"response_url":"https://hooks.slack.com/actions/T0ACME/1/x",
                 "actions":[{"action_id":"%s","block_id":"countersign.vote","text":{"type":"plain_text","text":"button"},
                             "value":"%s","type":"button","action_ts":"%s"}]}
                """.formatted(slackUser, trigger(), messageTs, channel, channel, actionId, requestId, messageTs);
    }

    /** The deny dialog submitted ({@code view_submission}) with this comment. */
    static String denyDialog(String slackUser, String channel, String requestId, String comment) {
        String value = comment == null ? "null" : "\"" + comment.replace("\"", "\\\"") + "\"";
        return """
                {"type":"view_submission","team":{"id":"T0ACME","domain":"acme"},"user":{"id":"%s","username":"someone","team_id":"T0ACME"},
                 "api_app_id":"A0COUNTERSIGN","token":"legacy-verification-token","trigger_id":"%s",
                 "view":{"id":"V%s","type":"modal","callback_id":"countersign.deny","private_metadata":"%s|%s",
                         "state":{"values":{"comment":{"comment":{"type":"plain_text_input","value":%s}}}}}}
                """.formatted(slackUser, trigger(), UUID.randomUUID().toString().substring(0, 8), requestId, channel, value);
    }

    private static String trigger() {
        return "1337." + Math.abs(UUID.randomUUID().getMostSignificantBits()) + ".f00";
    }
}
