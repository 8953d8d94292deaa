package dev.countersign.approvals.internal;

import org.springframework.context.event.EventListener;
import dev.countersign.actions.ActionRequestsPurged;
import dev.countersign.actions.ActionRequest;
import dev.countersign.actions.VoteSource;
import dev.countersign.approvals.Channel;
import dev.countersign.approvals.Vote;
import dev.countersign.approvals.VoteCast;
import dev.countersign.audit.AuditLog;
import dev.countersign.common.InThisTransaction;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

/**
 * The votes: one per approver and request (the primary key), cast here, shown through
 * {@link VoteSource} wherever a request is shown (and so in the request {@link ApprovalRules}
 * counts under the row lock).
 */
@Component
class Ballots implements VoteSource {

    private final JdbcClient jdbc;
    private final AuditLog audit;
    private final ApplicationEventPublisher events;
    private final Clock clock;

    Ballots(JdbcClient jdbc, AuditLog audit, ApplicationEventPublisher events, Clock clock) {
        this.jdbc = jdbc;
        this.audit = audit;
        this.events = events;
        this.clock = clock;
    }

    @Override
    public List<ActionRequest.VoteView> votesOn(String requestId) {
        // Cast in this transaction, under the request's row lock: nobody else can add one, so they are all known.
        List<ActionRequest.VoteView> known = castInThisTransaction().get(requestId);
        if (known != null) {
            return known;
        }
        // Plain SQL: the Spring Data derived query built a JPA criteria query and flushed the session on every call,
        // about a fifth of a vote's own CPU (it is read twice per vote; JFR on the PostgreSQL benchmark).
        return jdbc.sql("select approver, vote, comment, channel, cast_at from vote where request_id = ? order by cast_at")
                .param(requestId)
                .query((rs, n) -> new ActionRequest.VoteView(rs.getString("approver"), rs.getString("vote"), rs.getString("comment"),
                        rs.getString("channel"), rs.getTimestamp("cast_at").toInstant()))
                .list();
    }

    /**
     * Records a vote. The caller holds the request's row lock and has read, under it, the request
     * with its votes, among which this approver's is not; the primary key is the one-vote rule
     * behind that. Those votes and this one are then all the request has until the transaction
     * ends, so the answer's {@link #votesOn} does not read them again.
     */
    @Transactional(propagation = Propagation.MANDATORY)
    void cast(ActionRequest locked, String approver, Vote vote, String comment, Channel channel) {
        String requestId = locked.id();
        Instant now = clock.instant().truncatedTo(ChronoUnit.MICROS);
        jdbc.sql("insert into vote (request_id, approver, vote, comment, channel, cast_at) values (?,?,?,?,?,?)")
                .params(requestId, approver, vote.name(), comment, channel.name(), Timestamp.from(now)).update();
        List<ActionRequest.VoteView> all = new ArrayList<>(locked.decision() == null || locked.decision().votes() == null
                ? List.of() : locked.decision().votes());
        all.add(new ActionRequest.VoteView(approver, vote.name(), comment, channel.name(), now));
        // In cast order, as they are read (another instance's clock may run ahead of this one's).
        all.sort(java.util.Comparator.comparing(ActionRequest.VoteView::at));
        castInThisTransaction().put(requestId, List.copyOf(all));
        Map<String, Object> data = new HashMap<>();
        data.put("vote", vote.name());
        data.put("via", channel.name());
        if (comment != null) {
            data.put("comment", comment);
        }
        audit.record("vote.cast", approver, requestId, data);
        events.publishEvent(new VoteCast(requestId, approver, vote.name()));
    }

    private static final Object CAST = new Object();

    /** The votes of requests voted on in the current transaction, by request: bound to it, gone with it. */
    private static Map<String, List<ActionRequest.VoteView>> castInThisTransaction() {
        return InThisTransaction.map(CAST);
    }

    /** Votes go with their request when it is purged (countersign.actions.decided-retention). */
    @EventListener
    void purged(ActionRequestsPurged purged) {
        jdbc.sql("delete from vote where request_id in (:ids)").param("ids", purged.requestIds()).update();
    }
}
