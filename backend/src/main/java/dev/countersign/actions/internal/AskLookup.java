package dev.countersign.actions.internal;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * What the database already knows of an ask, read in one statement before anything is written:
 * the claim on its Idempotency-Key, the request of the same action that awaits approval, and the
 * latest refusal of that action within the cool-down. Three lookups used to be three round trips,
 * about a third of an allowed ask's time on PostgreSQL under load.
 */
@Component
class AskLookup {

    /**
     * Each part is a row of its own ({@code kind}); a part that finds nothing has no row. The first part types its empty
     * columns: PostgreSQL resolves a union's column types pairwise, and an untyped null there would be text.
     */
    private static final String KNOWN = """
            select 'key' as kind, fingerprint as a, request_id as b, cast(null as varchar(255)) as c,
                   cast(null as timestamp with time zone) as at
              from idempotency_key where agent_id = ? and idem_key = ?
            union all
            select 'pending', request_id, null, null, null
              from pending_action where agent_id = ? and action_hash = ?
            union all
            select * from (
                select 'denial', id, status, rule_name, decided_at
                  from action_request
                 where agent_id = ? and action_hash = ? and status in ('DENIED', 'EXPIRED')
                   and (reason_code is null or reason_code <> 'recently_denied') and decided_at > ?
                 order by decided_at desc
                 limit 1) latest_denial
            union all
            select * from (
                select 'approved', id, null as b, null as c, decided_at
                  from action_request
                 where agent_id = ? and action_hash = ? and status = 'APPROVED' and quorum > 0
                   and (decided_at > ? or hold_on_approval and expires_at > ?)
                 order by decided_at desc
                 limit 1) latest_approval""";

    private final JdbcClient jdbc;

    AskLookup(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** One row of the statement. */
    sealed interface Part permits Claim, Pending, RecentDenial, RecentApproval {
    }

    /** The Idempotency-Key claimed for a request, with the fingerprint of the body that claimed it. */
    record Claim(String fingerprint, String requestId) implements Part {
    }

    /** The request of the same action that awaits approval: an identical ask coalesces onto it. */
    record Pending(String requestId) implements Part {
    }

    /** A human or timeout refusal of the same action, recent enough to refuse it again without asking. */
    record RecentDenial(String requestId, String status, Instant decidedAt, String rule) implements Part {
    }

    /** People approved the same action recently (within the replay window): a repeat joins it instead of asking again. */
    record RecentApproval(String requestId, Instant decidedAt) implements Part {
    }

    /** What is known; each part empty when there is none. */
    record Known(Optional<Claim> claim, Optional<Pending> pending, Optional<RecentDenial> denial, Optional<RecentApproval> approval) {

        /** The approval, unless a refusal of the same action came after it (then the cool-down answers). */
        Optional<RecentApproval> standingApproval() {
            return approval.filter(approved -> denial.map(denied -> approved.decidedAt().isAfter(denied.decidedAt())).orElse(true));
        }
    }

    /**
     * {@code approvedSince}: the replay window's start. An approval held for the agent's next call ({@code onApproval: hold})
     * counts for longer: until it expires (after {@code now}).
     */
    Known of(String agentId, String key, String actionHash, Instant deniedSince, Instant approvedSince, Instant now) {
        List<Part> parts = jdbc.sql(KNOWN)
                .params(agentId, key, agentId, actionHash, agentId, actionHash, Timestamp.from(deniedSince), agentId, actionHash,
                        Timestamp.from(approvedSince), Timestamp.from(now))
                .query((rs, n) -> switch (rs.getString("kind")) {
                    case "key" -> (Part) new Claim(rs.getString("a"), rs.getString("b"));
                    case "pending" -> new Pending(rs.getString("a"));
                    case "denial" -> new RecentDenial(rs.getString("a"), rs.getString("b"), rs.getTimestamp("at").toInstant(), rs.getString("c"));
                    case "approved" -> new RecentApproval(rs.getString("a"), rs.getTimestamp("at").toInstant());
                    default -> throw new IllegalStateException("unknown part " + rs.getString("kind"));
                })
                .list();
        return new Known(first(parts, Claim.class), first(parts, Pending.class), first(parts, RecentDenial.class),
                first(parts, RecentApproval.class));
    }

    private static <T extends Part> Optional<T> first(List<Part> parts, Class<T> kind) {
        return parts.stream().filter(kind::isInstance).map(kind::cast).findFirst();
    }
}
