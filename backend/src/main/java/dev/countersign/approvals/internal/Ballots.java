package dev.countersign.approvals.internal;

import dev.countersign.actions.ActionRequest;
import dev.countersign.actions.VoteSource;
import dev.countersign.approvals.Channel;
import dev.countersign.approvals.Vote;
import dev.countersign.approvals.VoteCast;
import dev.countersign.audit.AuditLog;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

/**
 * The votes: one per approver and request (the primary key), counted here, shown through
 * {@link VoteSource} wherever a request is shown.
 */
@Component
class Ballots implements VoteSource {

    private final VoteRepository votes;
    private final JdbcClient jdbc;
    private final AuditLog audit;
    private final ApplicationEventPublisher events;
    private final Clock clock;

    Ballots(VoteRepository votes, JdbcClient jdbc, AuditLog audit, ApplicationEventPublisher events, Clock clock) {
        this.votes = votes;
        this.jdbc = jdbc;
        this.audit = audit;
        this.events = events;
        this.clock = clock;
    }

    @Override
    @Transactional(readOnly = true)
    public List<ActionRequest.VoteView> votesOn(String requestId) {
        return votes.findByRequestIdOrderByCastAt(requestId).stream()
                .map(v -> new ActionRequest.VoteView(v.approver(), v.vote(), v.comment(), v.channel(), v.castAt()))
                .toList();
    }

    /**
     * Counts a vote, under the request's row lock held by the caller; {@code false} if this
     * approver's vote was already counted.
     */
    @Transactional(propagation = Propagation.MANDATORY)
    boolean cast(String requestId, String approver, Vote vote, String comment, Channel channel) {
        if (votes.existsByRequestIdAndApprover(requestId, approver)) {
            return false;
        }
        Instant now = clock.instant().truncatedTo(ChronoUnit.MICROS);
        jdbc.sql("insert into vote (request_id, approver, vote, comment, channel, cast_at) values (?,?,?,?,?,?)")
                .params(requestId, approver, vote.name(), comment, channel.name(), Timestamp.from(now)).update();
        Map<String, Object> data = new HashMap<>();
        data.put("vote", vote.name());
        data.put("via", channel.name());
        if (comment != null) {
            data.put("comment", comment);
        }
        audit.record("vote.cast", approver, requestId, data);
        events.publishEvent(new VoteCast(requestId, approver, vote.name()));
        return true;
    }

    /** Approvals counted so far, this transaction's included. */
    long approvals(String requestId) {
        return votes.countByRequestIdAndVote(requestId, Vote.APPROVE.name());
    }
}
