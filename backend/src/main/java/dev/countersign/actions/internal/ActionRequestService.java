package dev.countersign.actions.internal;

import dev.countersign.actions.ActionRequests;
import dev.countersign.actions.ActionStatus;
import dev.countersign.actions.ActionRequest;
import dev.countersign.actions.AwaitingApproval;
import dev.countersign.actions.Verdict;
import jakarta.persistence.EntityManager;
import jakarta.persistence.LockModeType;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.data.domain.Limit;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

@Component
class ActionRequestService implements ActionRequests {

    private final ActionRequestRepository requests;
    private final ActionRequestAssembler assembler;
    private final Decisions decisions;
    private final RequestSearch lists;
    private final JdbcClient jdbc;
    private final RequestRowUpdates rows;
    private final EntityManager entities;
    private final DecisionWaiters waiters;
    private final Clock clock;

    ActionRequestService(ActionRequestRepository requests, ActionRequestAssembler assembler, Decisions decisions, RequestSearch lists,
                         JdbcClient jdbc, RequestRowUpdates rows, EntityManager entities, DecisionWaiters waiters, Clock clock) {
        this.entities = entities;
        this.waiters = waiters;
        this.requests = requests;
        this.rows = rows;
        this.assembler = assembler;
        this.decisions = decisions;
        this.lists = lists;
        this.jdbc = jdbc;
        this.clock = clock;
    }

    @Override
    @Transactional(readOnly = true)
    public Optional<ActionRequest> find(String id) {
        return requests.findById(id).map(assembler::of);
    }

    @Override
    public List<String> subjects(String id) {
        return jdbc.sql("select subject from action_request_subject where request_id = ? order by subject").param(id).query(String.class).list();
    }

    @Override
    public Optional<ActionStatus> status(String id) {
        return jdbc.sql("select status from action_request where id = ?").param(id).query(String.class).optional()
                .map(ActionStatus::valueOf);
    }

    @Override
    @Transactional(propagation = Propagation.MANDATORY)
    public Optional<ActionRequest> lock(String id) {
        // The entity loader by id, not a JPQL query with a lock mode (Spring Data's @Lock @Query). On the PostgreSQL
        // benchmark the query took 3.3 times as long as the plain read by id of the same row later in the vote; the
        // loader 2.2 times (what remains is being the transaction's first statement).
        return Optional.ofNullable(entities.find(ActionRequestRow.class, id, LockModeType.PESSIMISTIC_WRITE)).map(assembler::of);
    }

    @Override
    @Transactional
    public Optional<ActionRequest> decide(String id, Verdict verdict) {
        return decisions.decide(id, verdict).map(row -> {
            // With its grant, for this instance's waiting agent only (the grant issued in this transaction: no read).
            ActionRequest decided = assembler.of(row, true);
            waiters.decidedInThisTransaction(decided);
            return decided.withoutGrant();
        });
    }

    @Override
    @Transactional(propagation = Propagation.MANDATORY)
    public ActionRequest voteCounted(String id) {
        // As Decisions.decide does: read before the update (the vote holds the row already, so no statement) and apply
        // it in memory, rather than read the row back after it.
        ActionRequestRow counted = requests.findById(id).orElseThrow();
        Instant now = clock.instant().truncatedTo(ChronoUnit.MICROS);
        rows.update("update action_request set updated_at = ? where id = ?", Timestamp.from(now), id);
        return assembler.of(counted.touchedAt(now));
    }

    @Override
    @Transactional(readOnly = true)
    public List<AwaitingApproval> awaitingSince(Instant createdBefore) {
        return requests.findByStatusAndCreatedAtBeforeOrderByCreatedAt(ActionStatus.PENDING, createdBefore).stream()
                .map(r -> new AwaitingApproval(r.id(), r.rule(), r.expiresAt(), r.remindAt()))
                .toList();
    }

    @Override
    public List<String> decidedAmong(Collection<String> ids, Instant decidedBefore) {
        if (ids.isEmpty()) {
            return List.of();
        }
        return jdbc.sql("select id from action_request where id in (:ids) and status <> 'PENDING' and decided_at <= :before")
                .param("ids", List.copyOf(ids)).param("before", Timestamp.from(decidedBefore))
                .query(String.class).list();
    }

    @Override
    @Transactional(readOnly = true)
    public List<ActionRequest> forApprover(Collection<String> principals, ActionStatus status, Cursor after, int limit) {
        return load(lists.forApprover(principals, status, after, limit));
    }

    @Override
    @Transactional(readOnly = true)
    public List<ActionRequest> search(Search search, Cursor after, int limit) {
        return load(lists.search(search, after, limit));
    }

    @Override
    @Transactional(readOnly = true)
    public long count(Search search) {
        return lists.count(search);
    }

    @Override
    @Transactional(readOnly = true)
    public List<ActionRequest> history(String actionHash, String excludingId, int limit) {
        return requests.findByActionHashAndIdNotAndStatusNotOrderByCreatedAtDesc(actionHash, excludingId, ActionStatus.PENDING,
                Limit.of(limit)).stream().map(assembler::of).toList();
    }

    /** The requests of these ids, in the ids' order. */
    private List<ActionRequest> load(List<String> ids) {
        Map<String, ActionRequestRow> byId = new HashMap<>();
        requests.findAllById(ids).forEach(r -> byId.put(r.id(), r));
        return ids.stream().map(byId::get).map(assembler::of).toList();
    }
}
