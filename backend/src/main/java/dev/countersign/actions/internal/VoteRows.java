package dev.countersign.actions.internal;

import dev.countersign.actions.ActionRequest;
import dev.countersign.actions.Channel;
import dev.countersign.actions.Vote;
import java.sql.Timestamp;
import java.util.List;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * The votes of requests, in table {@code vote}: one row per approver and request (the primary key
 * is the one-vote rule). Part of the request's store: only the request's own classes read or
 * write them.
 */
@Component
class VoteRows {

    private final JdbcClient jdbc;

    VoteRows(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** The request's votes, oldest first. */
    List<ActionRequest.VoteView> of(String requestId) {
        // Plain SQL: the Spring Data derived query built a JPA criteria query and flushed the session on every call,
        // about a fifth of a vote's own CPU (JFR on the PostgreSQL benchmark).
        return jdbc.sql("select approver, vote, comment, channel, cast_at, standing from vote where request_id = ? order by cast_at")
                .param(requestId)
                .query((rs, n) -> new ActionRequest.VoteView(rs.getString("approver"), Vote.valueOf(rs.getString("vote")),
                        rs.getString("comment"), Channel.valueOf(rs.getString("channel")), rs.getTimestamp("cast_at").toInstant(),
                        StandingApprovalService.terms(rs.getString("standing"))))
                .list();
    }

    /** A second vote of the same approver on the same request fails on the primary key. */
    void insert(String requestId, ActionRequest.VoteView cast) {
        jdbc.sql("insert into vote (request_id, approver, vote, comment, channel, cast_at, standing) values (?,?,?,?,?,?,?)")
                .params(requestId, cast.approver(), cast.vote().name(), cast.comment(), cast.via().name(), Timestamp.from(cast.at()),
                        StandingApprovalService.termsJson(cast.standing()))
                .update();
    }
}
