package dev.countersign.notifications.slack;

import static org.assertj.core.api.Assertions.assertThat;

import com.slack.api.app_backend.SlackSignature;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

/** Checked against the SDK's own signature generator, an implementation independent of ours. */
class SlackRequestSignatureTest {

    static final String SECRET = "8f742231b10e8888abcd99yyyzzz85a5";
    static final Instant NOW = Instant.parse("2026-11-27T10:00:00Z");
    final SlackRequestSignature signature = new SlackRequestSignature(SECRET, Clock.fixed(NOW, ZoneOffset.UTC));
    final SlackSignature.Generator slack = new SlackSignature.Generator(SECRET);

    @Test
    void acceptsWhatSlackSignsWithinFiveMinutesEitherWay() {
        String body = "payload=%7B%22type%22%3A%22block_actions%22%7D";
        for (long offset : new long[] {0, -300, 300}) {
            String ts = Long.toString(NOW.getEpochSecond() + offset);
            assertThat(signature.problem(ts, slack.generate(ts, body), bytes(body))).isNull();
        }
    }

    @Test
    void refusesStaleFutureAlteredForgedAndMissing() {
        String body = "payload=%7B%7D";
        String ts = Long.toString(NOW.getEpochSecond());
        String stale = Long.toString(NOW.getEpochSecond() - 301);
        String future = Long.toString(NOW.getEpochSecond() + 301);

        assertThat(signature.problem(stale, slack.generate(stale, body), bytes(body))).contains("5 minutes");
        assertThat(signature.problem(future, slack.generate(future, body), bytes(body))).contains("5 minutes");
        assertThat(signature.problem(ts, slack.generate(ts, body), bytes(body + "&x=1"))).contains("does not match");
        assertThat(signature.problem(ts, new SlackSignature.Generator("another-secret").generate(ts, body), bytes(body))).contains("does not match");
        assertThat(signature.problem(ts, null, bytes(body))).contains("required");
        assertThat(signature.problem(null, slack.generate(ts, body), bytes(body))).contains("required");
        assertThat(signature.problem("yesterday", slack.generate(ts, body), bytes(body))).contains("not a Unix time");
    }

    @Test
    void signsTheRawBytesSoNonAsciiBodiesVerify() {
        String body = "payload=" + java.net.URLEncoder.encode("{\"comment\":\"Zahlung für Müller – nein\"}", StandardCharsets.UTF_8);
        String ts = Long.toString(NOW.getEpochSecond());
        assertThat(signature.problem(ts, slack.generate(ts, body), bytes(body))).isNull();
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
