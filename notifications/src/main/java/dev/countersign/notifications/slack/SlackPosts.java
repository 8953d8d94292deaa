package dev.countersign.notifications.slack;

import org.springframework.context.event.EventListener;
import dev.countersign.actions.ActionRequestsPurged;
import dev.countersign.notifications.Deliveries;
import dev.countersign.notifications.slack.SlackPost.Kind;
import dev.countersign.notifications.slack.SlackPost.State;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * The {@code slack_post} table. Every state change is one conditional update, so several
 * instances (and a redelivered job) can work the same rows and each step happens once.
 */
@Component
class SlackPosts implements Deliveries {

    private final JdbcClient jdbc;

    SlackPosts(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** Plans a message; {@code false} when it was planned before (a redelivered job, a second reminder). */
    boolean plan(String requestId, Kind kind, String target, Instant now) {
        // Conditional insert, portable to H2 and PostgreSQL: no exception, so the caller's transaction stays usable.
        return jdbc.sql("""
                        insert into slack_post (request_id, kind, target, state, next_attempt_at, created_at, updated_at)
                        select ?, ?, ?, 'PENDING', ?, ?, ?
                        where not exists (select 1 from slack_post where request_id = ? and kind = ? and target = ?)""")
                .params(requestId, kind.name(), target, ts(now), ts(now), ts(now), requestId, kind.name(), target)
                .update() == 1;
    }

    /** A vote or a decision changed what the request's messages should show. */
    void changed(String requestId, Instant now) {
        jdbc.sql("update slack_post set wanted_version = wanted_version + 1, next_attempt_at = ?, updated_at = ? "
                        + "where request_id = ? and kind = 'APPROVAL' and state in ('PENDING', 'POSTING', 'POSTED')")
                .params(ts(now), ts(now), requestId).update();
    }

    List<SlackPost> due(Instant now, int limit) {
        return jdbc.sql("""
                        select * from slack_post
                        where next_attempt_at <= ?
                          and (state = 'PENDING'
                               or (state = 'POSTING' and lease_until < ?)
                               or (state = 'POSTED' and shown_version < wanted_version and (lease_until is null or lease_until < ?)))
                        order by next_attempt_at
                        fetch first %d rows only""".formatted(limit))
                .params(ts(now), ts(now), ts(now))
                .query(SlackPosts::row).list();
    }

    /** Messages given up on (refused by Slack, or out of attempts) since {@code since}, and those waiting to go now. */
    record Backlog(long failed, long waiting) {
    }

    Backlog backlog(Instant since, Instant now) {
        return jdbc.sql("select sum(case when state = 'FAILED' and updated_at >= ? then 1 else 0 end) as failed, "
                        + "sum(case when state in ('PENDING', 'POSTING') and next_attempt_at <= ? then 1 else 0 end) as waiting "
                        + "from slack_post where updated_at >= ? or state in ('PENDING', 'POSTING')")
                .params(ts(since), ts(now), ts(since))
                .query((rs, n) -> new Backlog(rs.getLong("failed"), rs.getLong("waiting"))).single();
    }

    List<SlackPost> forRequest(String requestId) {
        return jdbc.sql("select * from slack_post where request_id = ? order by created_at, kind, target")
                .param(requestId).query(SlackPosts::row).list();
    }

    @Override
    public List<Delivery> of(String requestId) {
        return forRequest(requestId).stream().map(post -> new Delivery("slack", post.target(), post.kind().name().toLowerCase(Locale.ROOT),
                (post.state() == State.POSTING ? State.PENDING : post.state()).name().toLowerCase(Locale.ROOT), post.lastError())).toList();
    }

    Optional<SlackPost> find(String requestId, Kind kind, String target) {
        return jdbc.sql("select * from slack_post where request_id = ? and kind = ? and target = ?")
                .params(requestId, kind.name(), target).query(SlackPosts::row).optional();
    }

    /** Takes a message to post; of concurrent workers exactly one gets {@code true}. */
    boolean claimPost(SlackPost post, Instant now, Instant leaseUntil) {
        return jdbc.sql("""
                        update slack_post set state = 'POSTING', lease_until = ?, attempts = attempts + 1, updated_at = ?
                        where request_id = ? and kind = ? and target = ?
                          and ((state = 'PENDING' and next_attempt_at <= ?) or (state = 'POSTING' and lease_until < ?))""")
                .params(ts(leaseUntil), ts(now), post.requestId(), post.kind().name(), post.target(), ts(now), ts(now))
                .update() == 1;
    }

    /** Takes a posted message to update; of concurrent workers exactly one gets {@code true}. */
    boolean claimUpdate(SlackPost post, Instant now, Instant leaseUntil) {
        return jdbc.sql("""
                        update slack_post set lease_until = ?, attempts = attempts + 1, updated_at = ?
                        where request_id = ? and kind = ? and target = ? and state = 'POSTED'
                          and shown_version < wanted_version and (lease_until is null or lease_until < ?)""")
                .params(ts(leaseUntil), ts(now), post.requestId(), post.kind().name(), post.target(), ts(now))
                .update() == 1;
    }

    void posted(SlackPost post, String channelId, String ts, int shownVersion, Instant now) {
        jdbc.sql("""
                        update slack_post set state = 'POSTED', channel_id = ?, ts = ?, shown_version = ?, attempts = 0,
                          lease_until = null, last_error = null, updated_at = ?
                        where request_id = ? and kind = ? and target = ?""")
                .params(channelId, ts, shownVersion, ts(now), post.requestId(), post.kind().name(), post.target()).update();
    }

    void shown(SlackPost post, int version, Instant now) {
        jdbc.sql("""
                        update slack_post set shown_version = greatest(shown_version, ?), attempts = 0, lease_until = null,
                          updated_at = ? where request_id = ? and kind = ? and target = ?""")
                .params(version, ts(now), post.requestId(), post.kind().name(), post.target()).update();
    }

    /** Try again later: a message not yet posted goes back to PENDING; an update keeps its POSTED state. */
    void retryAt(SlackPost post, Instant at, String error, Instant now) {
        jdbc.sql("""
                        update slack_post set state = case when state = 'POSTING' then 'PENDING' else state end,
                          next_attempt_at = ?, lease_until = null, last_error = ?, updated_at = ?
                        where request_id = ? and kind = ? and target = ?""")
                .params(ts(at), truncate(error), ts(now), post.requestId(), post.kind().name(), post.target()).update();
    }

    /** Slack refused for good: the message stays unposted (FAILED) or, for an update, stops being retried. */
    void failed(SlackPost post, String error, Instant now) {
        jdbc.sql("""
                        update slack_post set state = case when state = 'POSTED' then 'POSTED' else 'FAILED' end,
                          shown_version = wanted_version, lease_until = null, last_error = ?, updated_at = ?
                        where request_id = ? and kind = ? and target = ?""")
                .params(truncate(error), ts(now), post.requestId(), post.kind().name(), post.target()).update();
    }

    void skipped(SlackPost post, String why, Instant now) {
        jdbc.sql("""
                        update slack_post set state = 'SKIPPED', lease_until = null, last_error = ?, updated_at = ?
                        where request_id = ? and kind = ? and target = ?""")
                .params(truncate(why), ts(now), post.requestId(), post.kind().name(), post.target()).update();
    }

    private static String truncate(String text) {
        return text == null || text.length() <= 500 ? text : text.substring(0, 500);
    }

    private static Timestamp ts(Instant at) {
        return Timestamp.from(at);
    }

    private static SlackPost row(ResultSet rs, int n) throws SQLException {
        return new SlackPost(rs.getString("request_id"), Kind.valueOf(rs.getString("kind")), rs.getString("target"),
                State.valueOf(rs.getString("state")), rs.getString("channel_id"), rs.getString("ts"), rs.getInt("wanted_version"),
                rs.getInt("shown_version"), rs.getInt("attempts"), rs.getString("last_error"));
    }

    /**
     * A purged request's Slack posts, and clicks acted on more than a day ago (Slack redelivers within minutes; the
     * trigger ids are kept only to count a redelivered click once).
     */
    @EventListener
    void purged(ActionRequestsPurged purged) {
        jdbc.sql("delete from slack_post where request_id in (:ids)").param("ids", purged.requestIds()).update();
        jdbc.sql("delete from slack_interaction where received_at < ?")
                .param(java.sql.Timestamp.from(java.time.Instant.now().minus(java.time.Duration.ofDays(1)))).update();
    }
}
