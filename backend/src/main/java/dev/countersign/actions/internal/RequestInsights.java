package dev.countersign.actions.internal;

import dev.countersign.actions.ActionRequest;
import dev.countersign.actions.ActionRequests;
import dev.countersign.actions.Insights;
import dev.countersign.policy.PolicyProperties;
import java.math.BigDecimal;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Reads of the agent's own past, each one index range scan ({@code action_request_agent_created},
 * {@code vote_by_approver}): an approver's page costs a handful of queries however long the history.
 */
@Component
class RequestInsights implements Insights {

    /** How far back "usual" reaches, and how many approved amounts it needs before anything is "above usual". */
    static final Duration USUAL = Duration.ofDays(90);
    static final int SAMPLES = 3;
    /** "Well above": this many times the median of the agent's approved amounts for the tool. */
    static final BigDecimal WELL_ABOVE = BigDecimal.valueOf(3);

    private final JdbcClient jdbc;
    private final ActionRequests requests;
    private final Duration window;

    RequestInsights(JdbcClient jdbc, ActionRequests requests, PolicyProperties policy) {
        this.jdbc = jdbc;
        this.requests = requests;
        this.window = policy.askedWindow();
    }

    @Override
    public List<Unusual> unusual(ActionRequest r) {
        List<Unusual> found = new ArrayList<>();
        Timestamp before = Timestamp.from(r.createdAt());
        long approvedBefore = jdbc.sql("""
                        select count(*) from action_request where agent_id = ? and created_at < ? and tool = ? and status = 'APPROVED'""")
                .params(r.agent(), before, r.tool()).query(Long.class).single();
        if (approvedBefore == 0) {
            found.add(new Unusual("first_tool", "First time: nothing of " + r.agent() + " with " + r.tool() + " was approved before"));
        } else if (r.payee() != null) {
            long toPayee = jdbc.sql("""
                            select count(*) from action_request where agent_id = ? and created_at < ? and tool = ? and status = 'APPROVED'
                             and payee = ?""")
                    .params(r.agent(), before, r.tool(), r.payee()).query(Long.class).single();
            if (toPayee == 0) {
                found.add(new Unusual("first_payee", "New payee: " + r.agent() + " never had " + r.payee() + " approved before"));
            }
        }
        aboveUsual(r, before).ifPresent(found::add);
        if (r.runtime() != null && Boolean.TRUE.equals(r.runtime().changedSinceLastApproval())) {
            found.add(new Unusual("runtime_changed", "Its runtime (model, instructions or tools) changed since its last approved request"));
        }
        long similar = jdbc.sql("""
                        select count(*) from action_request where agent_id = ? and created_at >= ? and created_at <= ? and tool = ?""")
                .params(r.agent(), Timestamp.from(r.createdAt().minus(window)), Timestamp.from(r.createdAt().plus(window)), r.tool())
                .query(Long.class).single();
        if (similar >= BURST) {
            found.add(new Unusual("burst", similar + " asks for " + r.tool() + " by " + r.agent() + " within " + minutes(window)
                    + " of this one"));
        }
        return List.copyOf(found);
    }

    /** Three times the median of the agent's approved amounts for the tool in the same currency, with enough of them to tell. */
    private Optional<Unusual> aboveUsual(ActionRequest r, Timestamp before) {
        if (r.amount() == null || r.amount().currency() == null) {
            return Optional.empty();
        }
        List<BigDecimal> amounts = jdbc.sql("""
                        select amount_value from action_request where agent_id = ? and created_at < ? and created_at >= ? and tool = ?
                         and status = 'APPROVED' and amount_currency = ? order by created_at desc""")
                .params(r.agent(), before, Timestamp.from(r.createdAt().minus(USUAL)), r.tool(), r.amount().currency())
                .query(String.class).list().stream().limit(200).map(BigDecimal::new).sorted().toList();
        if (amounts.size() < SAMPLES) {
            return Optional.empty();
        }
        BigDecimal median = amounts.get(amounts.size() / 2);
        BigDecimal amount = new BigDecimal(r.amount().value());
        if (median.signum() > 0 && amount.compareTo(median.multiply(WELL_ABOVE)) > 0) {
            return Optional.of(new Unusual("amount_above_usual", "Amount well above usual: " + r.amount().display() + ", where "
                    + r.agent() + "'s approved " + r.tool() + " amounts have a median of "
                    + new ActionRequest.Amount(median.toPlainString(), r.amount().currency()).display() + " (last " + amounts.size() + ", 90 days)"));
        }
        return Optional.empty();
    }

    @Override
    public Optional<ActionRequest> lastApproved(ActionRequest r) {
        return jdbc.sql("""
                        select id from action_request where agent_id = ? and created_at < ? and tool = ? and status = 'APPROVED' and id <> ?
                         order by created_at desc fetch first 1 rows only""")
                .params(r.agent(), Timestamp.from(r.createdAt()), r.tool(), r.id()).query(String.class).optional()
                .flatMap(requests::find);
    }

    @Override
    public long approvalsBy(String approver, Instant since) {
        return jdbc.sql("select count(*) from vote where approver = ? and cast_at >= ? and vote = 'APPROVE'")
                .params(approver, Timestamp.from(since)).query(Long.class).single();
    }

    @Override
    public Map<String, Long> approvalsPerApprover(Instant since) {
        Map<String, Long> load = new LinkedHashMap<>();
        jdbc.sql("""
                        select approver, count(*) as n from vote where cast_at >= ? and vote = 'APPROVE'
                         group by approver order by n desc, approver fetch first 100 rows only""")
                .param(Timestamp.from(since))
                .query(rs -> {
                    load.put(rs.getString("approver"), rs.getLong("n"));
                });
        return load;
    }

    private static String minutes(Duration d) {
        return d.toMinutes() >= 1 ? d.toMinutes() + " min" : d.toSeconds() + " s";
    }
}
