package dev.countersign.actions.internal;

import dev.countersign.actions.Statistics;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * The admin dashboard's numbers: grouped in the database where SQL says it plainly on H2 and PostgreSQL alike
 * (counts per rule and day, per approver), percentiles in Java over the decided requests' two timestamps (nearest
 * rank, at most {@link #MOST_DECISIONS} of the newest).
 */
@Component
class RequestStatistics implements Statistics {

    static final int MOST_DECISIONS = 50_000;

    private final JdbcClient jdbc;

    RequestStatistics(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    @Override
    public Summary since(Instant since) {
        Timestamp from = Timestamp.from(since);
        return new Summary(timeToDecision(from), requestsPerDay(from), expiriesPerDay(from), votesPerApprover(from));
    }

    private List<RuleTimes> timeToDecision(Timestamp from) {
        Map<String, List<Duration>> byRule = new TreeMap<>();
        jdbc.sql("""
                        select rule_name, created_at, decided_at from action_request
                         where decided_by = 'APPROVERS' and decided_at >= ? order by decided_at desc fetch first %d rows only"""
                        .formatted(MOST_DECISIONS))
                .param(from)
                .query(rs -> {
                    byRule.computeIfAbsent(rs.getString("rule_name"), rule -> new ArrayList<>())
                            .add(Duration.between(rs.getTimestamp("created_at").toInstant(), rs.getTimestamp("decided_at").toInstant()));
                });
        List<RuleTimes> times = new ArrayList<>();
        byRule.forEach((rule, durations) -> {
            durations.sort(Comparator.naturalOrder());
            times.add(new RuleTimes(rule, durations.size(), percentile(durations, 50), percentile(durations, 95)));
        });
        return times;
    }

    /** Nearest rank: the smallest value with at least p % of the values at or below it. */
    static Duration percentile(List<Duration> sorted, int p) {
        int rank = (int) Math.ceil(p / 100.0 * sorted.size());
        return sorted.get(Math.max(rank, 1) - 1);
    }

    private List<RuleDay> requestsPerDay(Timestamp from) {
        return jdbc.sql("""
                        select rule_name, cast(created_at at time zone 'UTC' as date) as utc_day, count(*) as n from action_request where created_at >= ?
                         group by rule_name, cast(created_at at time zone 'UTC' as date) order by utc_day, rule_name""")
                .param(from)
                .query((rs, n) -> new RuleDay(rs.getString("rule_name"), rs.getDate("utc_day").toLocalDate(), rs.getLong("n")))
                .list();
    }

    private List<Day> expiriesPerDay(Timestamp from) {
        return jdbc.sql("""
                        select cast(decided_at at time zone 'UTC' as date) as utc_day, count(*) as n from action_request where status = 'EXPIRED' and decided_at >= ?
                         group by cast(decided_at at time zone 'UTC' as date) order by utc_day""")
                .param(from)
                .query((rs, n) -> new Day(rs.getDate("utc_day").toLocalDate(), rs.getLong("n")))
                .list();
    }

    private List<ApproverVotes> votesPerApprover(Timestamp from) {
        Map<String, long[]> votes = new LinkedHashMap<>();
        jdbc.sql("select approver, vote, count(*) as n from vote where cast_at >= ? group by approver, vote order by approver")
                .param(from)
                .query(rs -> {
                    long[] counts = votes.computeIfAbsent(rs.getString("approver"), approver -> new long[2]);
                    counts["APPROVE".equals(rs.getString("vote")) ? 0 : 1] += rs.getLong("n");
                });
        List<ApproverVotes> result = new ArrayList<>();
        votes.forEach((approver, counts) -> result.add(new ApproverVotes(approver, counts[0], counts[1])));
        result.sort(Comparator.comparingLong((ApproverVotes v) -> v.approvals() + v.denials()).reversed().thenComparing(ApproverVotes::approver));
        return result;
    }
}
