package dev.countersign.notifications.slack;

import dev.countersign.common.ApiProblem;
import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Slack's interactivity request URL. The raw body is read from the servlet stream (never from
 * parsed parameters, which would not be the bytes Slack signed), its signature checked, and
 * only then is the {@code payload} field parsed.
 */
@RestController
@ConditionalOnSlack
class SlackInteractionController {

    private static final int MAX_BODY = 1 << 20;

    private final SlackInteractions interactions;
    private final SlackRequestSignature signature;

    SlackInteractionController(SlackInteractions interactions, SlackProperties properties, Clock clock) {
        this.interactions = interactions;
        this.signature = properties.signingSecret() == null || properties.signingSecret().isBlank()
                ? null : new SlackRequestSignature(properties.signingSecret(), clock);
    }

    @PostMapping("/slack/interactions")
    ResponseEntity<String> interaction(HttpServletRequest request) throws IOException {
        if (signature == null) {
            throw new ApiProblem(HttpStatus.NOT_FOUND, "not_found",
                    "Slack interactions arrive over Socket Mode here; this URL is not in use (no SLACK_SIGNING_SECRET)");
        }
        byte[] body = request.getInputStream().readNBytes(MAX_BODY + 1);
        if (body.length > MAX_BODY) {
            throw new ApiProblem(HttpStatus.CONTENT_TOO_LARGE, "payload_too_large", "A Slack interaction is never this large");
        }
        String problem = signature.problem(request.getHeader("X-Slack-Request-Timestamp"), request.getHeader("X-Slack-Signature"), body);
        if (problem != null) {
            throw new ApiProblem(HttpStatus.UNAUTHORIZED, "invalid_slack_signature", problem);
        }
        String payload = formField(new String(body, StandardCharsets.UTF_8), "payload");
        if (payload == null) {
            throw new ApiProblem(HttpStatus.BAD_REQUEST, "bad_request", "A Slack interaction carries a 'payload' form field");
        }
        SlackInteractions.Ack ack;
        try {
            ack = interactions.handle(payload);
        } catch (RuntimeException unreadable) {
            // Signed by Slack yet not a payload we understand: say so rather than fail with a 500.
            throw new ApiProblem(HttpStatus.BAD_REQUEST, "bad_request", "The 'payload' field is not a Slack interaction payload");
        }
        return ack.json().isEmpty() ? ResponseEntity.ok().build()
                : ResponseEntity.ok().contentType(MediaType.APPLICATION_JSON).body(ack.json());
    }

    private static String formField(String form, String name) {
        for (String pair : form.split("&")) {
            int eq = pair.indexOf('=');
            if (eq > 0 && URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8).equals(name)) {
                return URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            }
        }
        return null;
    }
}
