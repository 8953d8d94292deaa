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
    void actionHashIsSha256OfTheCanonicalToolAndArguments() {
        var submission = parse("""
                { "tool": "payments.transfer", "justification": "why", "sessionId": "s-1",
                  "arguments": { "to": "b", "from": "a", "amount": "1.50", "fee": 1.50 },
                  "amount": { "currency": "EUR", "value": "1.50" }, "environment": "prod" }""");
        // RFC 8785 by hand: keys sorted, numbers in their shortest form, no whitespace; who asks, why, and
        // what the agent declares about the action are left out.
        String canonical = "{\"arguments\":{\"amount\":\"1.50\",\"fee\":1.5,\"from\":\"a\",\"to\":\"b\"},\"tool\":\"payments.transfer\"}";
        assertThat(submission.actionHash()).isEqualTo("sha256:" + Sha256.hex(canonical));
        assertThat(submission.declared().environment()).isEqualTo("prod");
    }

    @Test
    void numbersADoubleCannotHoldExactlyAreRefusedWithTheirPointer() {
        var refused = org.assertj.core.api.Assertions.catchThrowableOfType(dev.countersign.common.ApiProblem.class, () -> parse("""
                {"tool":"docs.read","arguments":{"big":12345678901234567891,"list":[1,9007199254740993],"ok":9007199254740992,
                 "a/b":1e400,"fine":0.1}}"""));

        assertThat(refused.code()).isEqualTo("validation_failed");
        @SuppressWarnings("unchecked")
        var errors = (java.util.List<dev.countersign.common.ApiProblem.FieldError>) refused.properties().get("errors");
        assertThat(errors).extracting(dev.countersign.common.ApiProblem.FieldError::pointer)
                .containsExactly("/arguments/big", "/arguments/list/1", "/arguments/a~1b");
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
        var asString = parse("{\"tool\":\"docs.read\",\"arguments\":{\"doc\":\"a\",\"n\":\"1250\"}}");
        var asNumber = parse("{\"tool\":\"docs.read\",\"arguments\":{\"doc\":\"a\",\"n\":1250}}");
        var withScale = parse("{\"tool\":\"docs.read\",\"arguments\":{\"doc\":\"a\",\"n\":1250.00}}");
        var declared = parse("{\"tool\":\"docs.read\",\"arguments\":{\"doc\":\"a\"},\"environment\":\"prod\"}");
        assertThat(other.actionHash()).isNotEqualTo(one.actionHash());
        // A string is not a number to the tool; 1250 and 1250.00 are one number to every JSON reader.
        assertThat(asString.actionHash()).isNotEqualTo(asNumber.actionHash());
        assertThat(withScale.actionHash()).isEqualTo(asNumber.actionHash());
        // What an agent declares is checked against the catalog, not hashed: the same call is the same action.
        assertThat(declared.actionHash()).isEqualTo(one.actionHash());
    }
}
