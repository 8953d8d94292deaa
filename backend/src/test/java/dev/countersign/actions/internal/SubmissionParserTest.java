package dev.countersign.actions.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.countersign.common.Sha256;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

class SubmissionParserTest {

    private final SubmissionParser parser = new SubmissionParser(JsonMapper.builder().build());

    private ActionSubmission parse(String json) {
        return parser.parse(json.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void actionHashIsSha256OfTheCanonicalActionFields() {
        var submission = parse("""
                { "tool": "payments.transfer", "justification": "why", "sessionId": "s-1",
                  "arguments": { "to": "b", "from": "a", "amount": "1.50" },
                  "amount": { "currency": "EUR", "value": "1.50" }, "environment": "prod" }""");
        // RFC 8785 by hand: keys sorted, no whitespace; who asks and why are left out.
        String canonical = "{\"amount\":{\"currency\":\"EUR\",\"value\":\"1.50\"},\"arguments\":{\"amount\":\"1.50\",\"from\":\"a\",\"to\":\"b\"},"
                + "\"environment\":\"prod\",\"tool\":\"payments.transfer\"}";
        assertThat(submission.actionHash()).isEqualTo("sha256:" + Sha256.hex(canonical));
    }

    @Test
    void keyOrderAndSpacingChangeNeitherHash() {
        var one = parse("{\"tool\":\"docs.read\",\"arguments\":{\"a\":1,\"b\":[1,2]}}");
        var two = parse("{ \"arguments\" : { \"b\" : [1, 2], \"a\" : 1.0 }, \"tool\" : \"docs.read\" }");
        assertThat(two.actionHash()).isEqualTo(one.actionHash());
        assertThat(two.fingerprint()).isEqualTo(one.fingerprint());
    }

    @Test
    void whyChangesTheFingerprintButNotTheAction() {
        var one = parse("{\"tool\":\"docs.read\",\"arguments\":{},\"justification\":\"first\"}");
        var two = parse("{\"tool\":\"docs.read\",\"arguments\":{},\"justification\":\"second\"}");
        assertThat(two.actionHash()).isEqualTo(one.actionHash());
        assertThat(two.fingerprint()).isNotEqualTo(one.fingerprint());
    }

    @Test
    void whatIsDoneChangesTheActionHash() {
        var one = parse("{\"tool\":\"docs.read\",\"arguments\":{\"doc\":\"a\"}}");
        var other = parse("{\"tool\":\"docs.read\",\"arguments\":{\"doc\":\"b\"}}");
        var prod = parse("{\"tool\":\"docs.read\",\"arguments\":{\"doc\":\"a\"},\"environment\":\"prod\"}");
        assertThat(other.actionHash()).isNotEqualTo(one.actionHash());
        assertThat(prod.actionHash()).isNotEqualTo(one.actionHash());
    }
}
