package dev.countersign.audit.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.countersign.Concurrently;
import dev.countersign.testing.PostgresTest;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Writers append without queueing on the chain's tip, and several chainers (as on several
 * instances: they meet only in the database) chain concurrently: every committed entry ends up
 * in the chain exactly once, with no gap, and the chain verifies; a rolled-back transaction
 * leaves nothing.
 */
@PostgresTest
class AuditChainOnPostgresTest {

    @Autowired
    JdbcAuditLog audit;
    @Autowired
    JdbcClient jdbc;
    @Autowired
    PlatformTransactionManager transactions;

    private long count(String sql) {
        return jdbc.sql(sql).query(Long.class).single();
    }

    @Test
    void concurrentWritersAndChainersMakeOneGaplessChain() throws Exception {
        var tx = new TransactionTemplate(transactions);
        audit.chain();
        long before = count("select count(*) from audit_entry");

        var chaining = new AtomicBoolean(true);
        List<Long> written;
        try (var chainers = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int c = 0; c < 4; c++) {
                chainers.submit(() -> {
                    while (chaining.get()) {
                        audit.chain();
                    }
                    return null;
                });
            }
            written = Concurrently.run(64, writer -> {
                long entries = 0;
                for (int turn = 0; turn < 20; turn++) {
                    int t = turn;
                    int n = 1 + (writer + t) % 3;
                    tx.executeWithoutResult(status -> {
                        for (int e = 0; e < n; e++) {
                            audit.record("test.appended", "writer-" + writer, null, Map.of("t", t, "e", e));
                        }
                    });
                    entries += n;
                }
                // And one that rolls back: nothing of it may reach the log.
                tx.executeWithoutResult(status -> {
                    audit.record("test.rolled_back", "writer-" + writer, null, Map.of());
                    status.setRollbackOnly();
                });
                return entries;
            });
            chaining.set(false);
        }

        long expected = written.stream().mapToLong(Long::longValue).sum();
        assertThat(written).hasSize(64);
        assertThat(expected).isEqualTo(java.util.stream.IntStream.range(0, 64)
                .map(w -> java.util.stream.IntStream.range(0, 20).map(t -> 1 + (w + t) % 3).sum()).sum());
        audit.chain();
        assertThat(count("select count(*) from audit_entry")).isEqualTo(before + expected);
        assertThat(count("select count(*) from audit_entry where seq is null")).as("left unchained").isZero();
        assertThat(count("select count(*) from audit_entry where type = 'test.rolled_back'")).isZero();
        assertThat(count("select max(seq) from audit_entry")).isEqualTo(before + expected);
        var verification = audit.verify();
        assertThat(verification.valid()).as(verification.problem()).isTrue();
        assertThat(verification.entries()).isEqualTo(before + expected);
    }

    @Test
    void anEntryIsReadableAsSoonAsItsTransactionCommitted() {
        var tx = new TransactionTemplate(transactions);
        String request = "act_" + java.util.UUID.randomUUID();
        tx.executeWithoutResult(status -> audit.record("test.timeline", "someone", request, Map.of("n", 1)));

        // No waiting for the chainer: a reader chains what is waiting first.
        assertThat(audit.entriesFor(request)).singleElement().satisfies(entry -> {
            assertThat(entry.type()).isEqualTo("test.timeline");
            assertThat(entry.hash()).hasSize(64);
        });
    }
}
