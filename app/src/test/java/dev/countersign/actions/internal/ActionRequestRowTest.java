package dev.countersign.actions.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.countersign.EndToEndTest;
import dev.countersign.actions.ActionStatus;
import dev.countersign.actions.DecidedBy;
import dev.countersign.actions.Verdict;
import dev.countersign.catalog.DerivedFacts;
import dev.countersign.common.Ids;
import jakarta.persistence.EntityManager;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * A new request is stored in plain SQL ({@link ActionRequestRow#insert}) and read both through JPA and in plain SQL
 * ({@link ActionRequestRow#find}): every persistent field must survive each trip. The two rows between them set every field, so a field added to the entity but not to
 * the insert fails here (first as a null the test does not expect, then as a difference once the test sets it).
 */
@EndToEndTest
class ActionRequestRowTest {

    @Autowired
    JdbcClient jdbc;
    @Autowired
    EntityManager entities;
    @Autowired
    TransactionTemplate tx;
    @Autowired
    ActionRequestRepository store;

    @Test
    void aPendingRequestReadsBackAsItWasInserted() {
        Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
        var row = newRow(now);
        row.pending("large-payments", "policy-v7", "Payments over 1,000 EUR need finance", "group:finance,user:dana", 2,
                now.plusSeconds(3600), now.plusSeconds(600), true); // held: a true that must read back as true
        assertThat(row).hasNoNullFieldsOrPropertiesExcept("decidedBy", "reasonCode", "decidedAt");

        assertReadsBackAsInserted(row);
    }

    @Test
    void aRequestDecidedOnArrivalReadsBackAsItWasInserted() {
        Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
        var row = newRow(now);
        row.decidedOnArrival(new Verdict(ActionStatus.DENIED, DecidedBy.POLICY, "policy", "Denied on arrival", "policy_denied"),
                "no-prod-deletes", "policy-v7");
        assertThat(row).hasNoNullFieldsOrPropertiesExcept("approvers", "expiresAt", "remindAt");

        assertReadsBackAsInserted(row);
    }

    @Test
    void theRequestsOfAChainAreFoundByEachOfItsLinksAndNoLookAlike() {
        Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
        var chained = newRow(now);
        chained.delegatedBy(new dev.countersign.identity.Delegation(List.of("orchestrator_1", "billing-agent"), false, List.of(), null));
        chained.pending("small-payments", "policy-v7", "Payments need finance", "group:finance", 1, now.plusSeconds(3600), null, false);
        tx.executeWithoutResult(status -> chained.insert(jdbc));

        assertThat(store.pendingOf("orchestrator_1")).contains(chained.id());
        assertThat(store.pendingOf("billing-agent")).contains(chained.id());
        // LIKE's wildcards in an id are literal: orchestrator_1 names neither orchestratorX1 nor orchestrator%.
        assertThat(store.pendingOf("orchestratorX1")).doesNotContain(chained.id());
        assertThat(store.pendingOf("orchestrator%")).doesNotContain(chained.id());
        assertThat(store.pendingOf("orchestrator")).doesNotContain(chained.id());
    }

    private void assertReadsBackAsInserted(ActionRequestRow row) {
        tx.executeWithoutResult(status -> row.insert(jdbc));
        // Outside a transaction: a fresh persistence context, so the row comes from the database.
        ActionRequestRow read = entities.find(ActionRequestRow.class, row.id());
        assertThat(read).isNotNull().isNotSameAs(row);
        assertThat(read).usingRecursiveComparison().isEqualTo(row);
        ActionRequestRow found = ActionRequestRow.find(jdbc, row.id()).orElseThrow();
        assertThat(found).isNotSameAs(row).usingRecursiveComparison().isEqualTo(row);
        assertThat(ActionRequestRow.find(jdbc, "act_missing")).isEmpty();
    }

    private static ActionRequestRow newRow(Instant now) {
        var submission = new ActionSubmission("payments.transfer", Map.of("amount", "1500.00"), null, null, "Pay invoice INV-2291",
                "session-42", "dana", null, dev.countersign.identity.AgentRuntime.NONE, false, "sha256:" + "ab".repeat(32), "cd".repeat(32),
                "{\"arguments\":{\"amount\":\"1500.00\"},\"tool\":\"payments.transfer\"}");
        var facts = new DerivedFacts("payment", "internal", "production", "acct-ops", new BigDecimal("1500.00"), "EUR", "payments.transfer",
                "catalog-v3", "acct-vendor-17");
        var row = new ActionRequestRow(Ids.random("act"), "billing-agent", submission, facts, now);
        // Asked down a chain that a person started: a true that must read back as true.
        row.delegatedBy(new dev.countersign.identity.Delegation(List.of("alice", "orchestrator", "billing-agent"), true, List.of(), null));
        // What it ran as, and a changed runtime: a true that must read back as true.
        row.ranAs(dev.countersign.identity.AgentRuntime.of(Map.of("model.name", "model-a", "instructions", "sha256:" + "ef".repeat(32)),
                java.util.Set.of("model.name")), true);
        // The standing approval its decision cites: a column like any other, round-tripped here.
        row.citing("sa_" + "0f".repeat(8));
        // The ask's trace (a W3C traceparent), which votes, jobs and the forward continue.
        row.tracedIn("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01");
        return row;
    }
}
