package dev.countersign.audit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.countersign.EndToEndBase;
import dev.countersign.EndToEndTest;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.TestPropertySource;
import tools.jackson.databind.JsonNode;

/**
 * Verification recomputes only what came after the newest checkpoint, and checks that each
 * checkpointed entry still has the hash it had: a log of millions verifies in seconds, and a
 * rewrite of older entries that recomputed the chain is still found. A full verification
 * recomputes every entry. (Its own application: this test changes the log on purpose.)
 */
@EndToEndTest
@TestPropertySource(properties = "countersign.audit.checkpoint-every=1h")
class AuditCheckpointsTest extends EndToEndBase {

    private void someEntries(int asks) {
        for (int i = 0; i < asks; i++) {
            assertThat(api.ask(agent, "{\"tool\":\"docs.read\",\"arguments\":{\"doc\":\"" + UUID.randomUUID() + "\"}}").status()).isEqualTo(201);
        }
    }

    private JsonNode verify(String admin, boolean full) {
        var answer = api.get(admin, "/api/v1/audit/verify" + (full ? "?full=true" : ""));
        assertThat(answer.status()).isEqualTo(200);
        return answer.body();
    }

    @Test
    void verificationStartsFromTheNewestCheckpointAndStillFindsRewrites() {
        String admin = api.token("admin", "admin");
        someEntries(5);
        var first = verify(admin, true);
        assertThat(first.get("valid").asBoolean()).as(first.toString()).isTrue();
        assertThat(first.get("fromSeq").asLong()).isZero();
        assertThat(first.get("recomputed").asLong()).isEqualTo(first.get("entries").asLong()).isPositive();
        long checkpoint = first.get("entries").asLong();
        assertThat(count("select count(*) from audit_checkpoint where seq = ?", checkpoint)).isEqualTo(1);

        someEntries(3);
        var second = verify(admin, false);
        assertThat(second.get("valid").asBoolean()).as(second.toString()).isTrue();
        assertThat(second.get("fromSeq").asLong()).isEqualTo(checkpoint);
        assertThat(second.get("recomputed").asLong()).isEqualTo(second.get("entries").asLong() - checkpoint).isPositive();
        assertThat(second.get("checkpoints").asLong()).isEqualTo(1);
        long tip = second.get("entries").asLong();

        // A change after the newest checkpoint is recomputed and found.
        someEntries(2);
        long newest = count("select max(seq) from audit_entry where seq is not null");
        jdbc.sql("update audit_entry set data = '{\"forged\":true}' where seq = ?").param(newest).update();
        var forgedAfter = verify(admin, false);
        assertThat(forgedAfter.get("valid").asBoolean()).isFalse();
        assertThat(forgedAfter.get("firstBrokenSeq").asLong()).isEqualTo(newest);
        assertThat(forgedAfter.get("problem").asString()).contains("hash does not match");

        // Older entries rewritten with the chain recomputed over them: the checkpointed entry's hash is not what it was.
        jdbc.sql("update audit_entry set hash = ? where seq = ?").params("f".repeat(64), tip).update();
        for (boolean full : new boolean[] {false, true}) {
            var rewritten = verify(admin, full);
            assertThat(rewritten.get("valid").asBoolean()).as("full=" + full).isFalse();
            assertThat(rewritten.get("firstBrokenSeq").asLong()).isEqualTo(tip);
            assertThat(rewritten.get("problem").asString()).contains("no longer has the hash it had when it was verified");
        }
    }
}
