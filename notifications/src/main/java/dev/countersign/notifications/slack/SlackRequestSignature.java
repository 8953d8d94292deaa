package dev.countersign.notifications.slack;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Slack's v0 request signature: HMAC-SHA256 of {@code v0:<timestamp>:<raw body>} with the signing
 * secret. Checked before anything in the body is read. Written here rather than taken from the
 * SDK's {@code SlackSignature.Verifier} because that one compares with {@code String.equals} (not
 * constant time), accepts any timestamp from the future, and encodes with the platform charset.
 */
final class SlackRequestSignature {

    static final Duration TOLERANCE = Duration.ofMinutes(5);

    private final SecretKeySpec key;
    private final Clock clock;

    SlackRequestSignature(String signingSecret, Clock clock) {
        this.key = new SecretKeySpec(signingSecret.getBytes(StandardCharsets.UTF_8), "HmacSHA256");
        this.clock = clock;
    }

    /** Why the request is not Slack's, or null when it is. */
    String problem(String timestamp, String signature, byte[] body) {
        if (timestamp == null || signature == null) {
            return "X-Slack-Request-Timestamp and X-Slack-Signature are required";
        }
        long seconds;
        try {
            seconds = Long.parseLong(timestamp.strip());
        } catch (NumberFormatException e) {
            return "X-Slack-Request-Timestamp is not a Unix time";
        }
        if (Math.abs(clock.instant().getEpochSecond() - seconds) > TOLERANCE.toSeconds()) {
            return "X-Slack-Request-Timestamp is more than 5 minutes away from now (a replay, or a clock out of sync)";
        }
        byte[] expected = ("v0=" + HexFormat.of().formatHex(mac(timestamp.strip(), body))).getBytes(StandardCharsets.US_ASCII);
        if (!MessageDigest.isEqual(expected, signature.strip().getBytes(StandardCharsets.US_ASCII))) {
            return "X-Slack-Signature does not match the body (wrong signing secret, or the body was altered)";
        }
        return null;
    }

    private byte[] mac(String timestamp, byte[] body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(key);
            mac.update(("v0:" + timestamp + ":").getBytes(StandardCharsets.UTF_8));
            return mac.doFinal(body);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is unavailable", e);
        }
    }
}
