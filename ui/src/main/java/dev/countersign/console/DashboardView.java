package dev.countersign.console;

import com.vaadin.flow.component.grid.Grid;
import com.vaadin.flow.component.html.H1;
import com.vaadin.flow.component.html.H2;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.router.PageTitle;
import com.vaadin.flow.router.Route;
import dev.countersign.actions.Statistics;
import jakarta.annotation.security.RolesAllowed;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.TreeSet;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Admins: how decisions go over the last {@link #DAYS} days. Time to decision per rule (p50, p95), requests per rule
 * per day, expiries per day and decisions per approver, each drawn (ECharts) and listed.
 */
@Route(value = "admin/dashboard", layout = ConsoleLayout.class)
@PageTitle("Dashboard · Countersign")
@RolesAllowed("admin")
public class DashboardView extends VerticalLayout {

    static final int DAYS = 14;

    final Statistics.Summary summary;
    final Grid<Statistics.RuleTimes> times = new Grid<>();
    final Grid<Statistics.ApproverVotes> approvers = new Grid<>();
    private final JsonMapper json;

    public DashboardView(Statistics statistics, Clock clock, JsonMapper json) {
        this.json = json;
        LocalDate today = LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC);
        LocalDate first = today.minusDays(DAYS - 1L);
        summary = statistics.since(first.atStartOfDay(ZoneOffset.UTC).toInstant());
        List<LocalDate> days = first.datesUntil(today.plusDays(1)).toList();

        times.setId("time-to-decision");
        times.setAriaLabel("Time to decision per rule");
        times.addColumn(Statistics.RuleTimes::rule).setHeader("Rule").setAutoWidth(true);
        times.addColumn(Statistics.RuleTimes::decided).setHeader("Decided by people").setAutoWidth(true);
        times.addColumn(t -> ConsoleFormat.duration(t.p50())).setHeader("p50").setAutoWidth(true);
        times.addColumn(t -> ConsoleFormat.duration(t.p95())).setHeader("p95").setAutoWidth(true);
        times.setItems(summary.timeToDecision());
        times.setAllRowsVisible(true);

        approvers.setId("decisions-per-approver");
        approvers.setAriaLabel("Decisions per approver");
        approvers.addColumn(Statistics.ApproverVotes::approver).setHeader("Approver").setAutoWidth(true);
        approvers.addColumn(Statistics.ApproverVotes::approvals).setHeader("Approved").setAutoWidth(true);
        approvers.addColumn(Statistics.ApproverVotes::denials).setHeader("Denied").setAutoWidth(true);
        approvers.setItems(summary.decisionsPerApprover());
        approvers.setAllRowsVisible(true);

        long expiries = summary.expiriesPerDay().stream().mapToLong(Statistics.Day::count).sum();
        long requests = summary.requestsPerDay().stream().mapToLong(Statistics.RuleDay::requests).sum();
        var totals = new Paragraph(requests + (requests == 1 ? " request, " : " requests, ") + expiries + " expired, in the last " + DAYS
                + " days (UTC).");
        totals.setId("dashboard-totals");
        add(new H1("Dashboard"), totals,
                new H2("Time to decision"), new Chart("chart-time-to-decision", "Time to decision per rule, p50 and p95 in minutes", timeOption()), times,
                new H2("Requests per rule per day"), new Chart("chart-requests", "Requests per rule per day", requestsOption(days)),
                new H2("Expiries per day"), new Chart("chart-expiries", "Requests that expired per day", expiriesOption(days)),
                new H2("Decisions per approver"), new Chart("chart-approvers", "Approvals and denials per approver", approversOption()), approvers);
        setMaxWidth("70rem");
    }

    private ObjectNode timeOption() {
        var rules = summary.timeToDecision().stream().map(Statistics.RuleTimes::rule).toList();
        return bars(rules, List.of(series("p50 (min)", summary.timeToDecision().stream().map(t -> minutes(t.p50())).toList(), null),
                series("p95 (min)", summary.timeToDecision().stream().map(t -> minutes(t.p95())).toList(), null)));
    }

    private ObjectNode requestsOption(List<LocalDate> days) {
        var rules = new TreeSet<String>();
        summary.requestsPerDay().forEach(d -> rules.add(String.valueOf(d.rule())));
        var series = rules.stream().map(rule -> series(rule, days.stream().map(day -> (Number) summary.requestsPerDay().stream()
                .filter(d -> String.valueOf(d.rule()).equals(rule) && d.day().equals(day)).mapToLong(Statistics.RuleDay::requests).sum())
                .toList(), "requests")).toList();
        return bars(days.stream().map(LocalDate::toString).toList(), series);
    }

    private ObjectNode expiriesOption(List<LocalDate> days) {
        return bars(days.stream().map(LocalDate::toString).toList(), List.of(series("expired", days.stream().map(day -> (Number) summary
                .expiriesPerDay().stream().filter(d -> d.day().equals(day)).mapToLong(Statistics.Day::count).sum()).toList(), null)));
    }

    private ObjectNode approversOption() {
        var names = summary.decisionsPerApprover().stream().map(Statistics.ApproverVotes::approver).toList();
        return bars(names, List.of(
                series("approved", summary.decisionsPerApprover().stream().map(v -> (Number) v.approvals()).toList(), "votes"),
                series("denied", summary.decisionsPerApprover().stream().map(v -> (Number) v.denials()).toList(), "votes")));
    }

    private ObjectNode bars(List<String> categories, List<ObjectNode> series) {
        ObjectNode option = json.createObjectNode();
        option.putObject("tooltip").put("trigger", "axis");
        option.putObject("legend");
        option.putObject("grid").put("containLabel", true).put("left", 8).put("right", 8).put("bottom", 8);
        ArrayNode x = option.putObject("xAxis").put("type", "category").putArray("data");
        categories.forEach(x::add);
        option.putObject("yAxis").put("type", "value");
        ArrayNode all = option.putArray("series");
        series.forEach(all::add);
        option.put("animation", false);
        return option;
    }

    private ObjectNode series(String name, List<? extends Number> values, String stack) {
        ObjectNode series = json.createObjectNode().put("name", name).put("type", "bar");
        if (stack != null) {
            series.put("stack", stack);
        }
        ArrayNode data = series.putArray("data");
        values.forEach(value -> data.add(value.doubleValue()));
        return series;
    }

    private static double minutes(Duration duration) {
        return Math.round(duration.toMillis() / 600.0) / 100.0;
    }
}
