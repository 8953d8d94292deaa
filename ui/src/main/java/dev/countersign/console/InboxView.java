package dev.countersign.console;

import com.vaadin.flow.component.combobox.ComboBox;
import com.vaadin.flow.component.grid.Grid;
import com.vaadin.flow.component.grid.GridSortOrder;
import com.vaadin.flow.component.html.H1;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.orderedlayout.FlexLayout;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.data.provider.SortDirection;
import com.vaadin.flow.router.PageTitle;
import com.vaadin.flow.router.Route;
import dev.countersign.actions.ActionRequests;
import dev.countersign.actions.ActionStatus;
import dev.countersign.actions.ActionRequest;
import dev.countersign.approvals.Approvals;
import dev.countersign.identity.Caller;
import jakarta.annotation.security.PermitAll;
import java.time.Clock;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;

/**
 * What awaits the signed-in approver, kept live by server push: each row says what will happen (amount, payee or
 * resource), where (a production mark), what stands out, and how long is left; look-alike asks (the same agent and tool
 * in quick succession) are one group row with their count and total, decided together from a dialog. Sortable by age
 * and by expiry, filtered by category, environment, tool and agent.
 */
@Route(value = "", layout = ConsoleLayout.class)
@PageTitle("Inbox · Countersign")
@PermitAll
public class InboxView extends VerticalLayout {

    /** An approver's inbox is small; past this, the history view with its paging is the place. */
    static final int LIMIT = 500;

    private final ActionRequests actions;
    private final Clock clock;
    private final Caller.Approver approver;
    private final CurrentApprover current;
    private final dev.countersign.policy.Policy policy;
    private final Approvals approvals;
    private final java.time.Duration window;
    final Grid<InboxRow> grid = new Grid<>();
    final Paragraph empty = new Paragraph();
    final ComboBox<String> category = filter("Category");
    final ComboBox<String> environment = filter("Environment");
    final ComboBox<String> tool = filter("Tool");
    final ComboBox<String> agent = filter("Agent");
    /** On a phone, one column that shows each request whole; the table's columns on anything wider. */
    final Grid.Column<InboxRow> card;
    private final List<Grid.Column<InboxRow>> columns;
    static final int PHONE_WIDTH = 600;
    private List<ActionRequest> pending = List.of();
    GroupDialog opened;

    public InboxView(ActionRequests actions, ConsoleEvents events, CurrentApprover currentApprover, Clock clock, Approvals approvals,
                     dev.countersign.policy.PolicyProperties policyProperties, dev.countersign.policy.Policy policy) {
        this.policy = policy;
        this.actions = actions;
        this.clock = clock;
        this.approvals = approvals;
        this.window = policyProperties.askedWindow();
        this.approver = currentApprover.get();
        this.current = currentApprover;
        grid.setId("inbox");
        // What a row says is the point of the inbox: it wraps rather than ending in an ellipsis.
        grid.addThemeVariants(com.vaadin.flow.component.grid.GridVariant.LUMO_WRAP_CELL_CONTENT);
        grid.setAriaLabel("Requests awaiting your decision");
        var toolColumn = grid.addColumn(row -> row.isGroup() ? row.requests().size() + " × " + row.tool() : row.tool())
                .setHeader("Tool").setAutoWidth(true).setFlexGrow(1);
        var what = grid.addColumn(row -> row.isGroup() ? row.what(clock.instant()) : ConsoleFormat.sentence(row.newest()))
                .setHeader("What").setFlexGrow(2).setKey("what");
        var risk = grid.addColumn(row -> String.join(", ", marks(row))).setHeader("Risk").setAutoWidth(true).setKey("risk");
        var agentColumn = grid.addColumn(InboxRow::agent).setHeader("Agent").setAutoWidth(true);
        var approvalsColumn = grid.addColumn(row -> row.isGroup() ? "" : row.newest().approvals() + " of " + row.newest().approval().quorum())
                .setHeader("Approvals").setAutoWidth(true);
        var age = grid.addColumn(row -> ConsoleFormat.age(row.newest().createdAt(), clock.instant())).setHeader("Age").setAutoWidth(true)
                .setSortable(true).setComparator(Comparator.comparing((InboxRow row) -> row.newest().createdAt()).reversed()).setKey("age");
        var expires = grid.addColumn(row -> ConsoleFormat.timeLeft(soonest(row), clock.instant())).setHeader("Time left")
                .setAutoWidth(true).setSortable(true).setComparator(Comparator.comparing(InboxView::soonest)).setKey("expires");
        columns = List.of(toolColumn, what, risk, agentColumn, approvalsColumn, age, expires);
        card = grid.addComponentColumn(this::card).setHeader("Request").setFlexGrow(1);
        card.setVisible(false);
        grid.sort(List.of(new GridSortOrder<>(age, SortDirection.ASCENDING)));
        grid.setAllRowsVisible(true);
        grid.addItemClickListener(click -> open(click.getItem()));
        var filters = new FlexLayout(category, environment, tool, agent);
        filters.setFlexWrap(FlexLayout.FlexWrap.WRAP);
        filters.getStyle().set("gap", "var(--lumo-space-s)");
        List.of(category, environment, tool, agent).forEach(box -> box.addValueChangeListener(change -> show()));
        empty.setId("inbox-empty");
        add(new H1("Awaiting your decision"), filters, empty, grid);
        refresh();
        events.whileAttached(this, requestId -> refresh());
    }

    /** A single request opens its page; a group opens the dialog that decides it together. */
    void open(InboxRow row) {
        if (!row.isGroup()) {
            getUI().ifPresent(ui -> ui.navigate(RequestView.class, row.newest().id()));
            return;
        }
        opened = new GroupDialog(row, approvals, policy, current.forVoting(), clock);
        opened.addOpenedChangeListener(change -> {
            if (!change.isOpened()) {
                refresh();
            }
        });
        opened.open();
    }

    private static java.time.Instant soonest(InboxRow row) {
        return row.requests().stream().map(r -> r.approval().expiresAt()).min(Comparator.naturalOrder()).orElseThrow();
    }

    /** What stands out without a query per row: production, restricted data, a changed runtime, a burst. */
    static List<String> marks(InboxRow row) {
        var r = row.newest();
        List<String> marks = new java.util.ArrayList<>();
        if (dev.countersign.approvals.Brief.isProduction(r)) {
            marks.add("PROD");
        }
        if ("RESTRICTED".equals(r.dataClassification())) {
            marks.add("restricted data");
        }
        if (row.requests().stream().anyMatch(each -> each.runtime() != null && Boolean.TRUE.equals(each.runtime().changedSinceLastApproval()))) {
            marks.add("runtime changed");
        }
        if (row.isGroup()) {
            marks.add("burst");
        }
        return marks;
    }

    @Override
    protected void onAttach(com.vaadin.flow.component.AttachEvent attach) {
        var page = attach.getUI().getPage();
        page.retrieveExtendedClientDetails(details -> fitTo(details.getWindowInnerWidth()));
        page.addBrowserWindowResizeListener(resize -> fitTo(resize.getWidth()));
    }

    /** A phone (390 px) cannot show seven columns: each row becomes one card with everything the columns show. */
    void fitTo(int width) {
        boolean phone = width < PHONE_WIDTH;
        card.setVisible(phone);
        columns.forEach(column -> column.setVisible(!phone));
    }

    VerticalLayout card(InboxRow row) {
        var r = row.newest();
        var what = new com.vaadin.flow.component.html.Span(row.isGroup() ? row.summary(clock.instant())
                : r.tool() + " · " + ConsoleFormat.sentence(r));
        what.getStyle().set("font-weight", "600").set("white-space", "normal");
        var marks = marks(row);
        var risk = new com.vaadin.flow.component.html.Span(marks.isEmpty() ? "" : "⚠ " + String.join(", ", marks));
        risk.addClassName("risk");
        risk.setVisible(!marks.isEmpty());
        var who = new com.vaadin.flow.component.html.Span(r.agentLabel()
                + (r.delegation() == null ? "" : " (delegated: " + r.delegation().text() + ")")
                + (row.isGroup() ? "" : " · " + r.approvals() + " of " + r.approval().quorum() + " approvals")
                + " · asked " + ConsoleFormat.age(r.createdAt(), clock.instant()) + " · expires "
                + ConsoleFormat.timeLeft(soonest(row), clock.instant()));
        who.getStyle().set("font-size", "var(--lumo-font-size-s)").set("white-space", "normal");
        var card = new VerticalLayout(what, risk, who);
        card.setPadding(false);
        card.setSpacing(false);
        card.addClassName("inbox-card");
        return card;
    }

    private static ComboBox<String> filter(String label) {
        var box = new ComboBox<String>(label);
        box.setClearButtonVisible(true);
        box.setPlaceholder("Any");
        return box;
    }

    void refresh() {
        pending = actions.forApprover(approver.principals(), ActionStatus.PENDING, null, LIMIT);
        options(category, ActionRequest::category);
        options(environment, ActionRequest::environment);
        options(tool, ActionRequest::tool);
        options(agent, ActionRequest::agent);
        show();
    }

    private void options(ComboBox<String> box, Function<ActionRequest, String> field) {
        String selected = box.getValue();
        var values = pending.stream().map(field).filter(Objects::nonNull).distinct().sorted().toList();
        box.setItems(values);
        if (selected != null && values.contains(selected)) {
            box.setValue(selected);
        }
    }

    private void show() {
        var shown = pending.stream()
                .filter(r -> matches(category, r.category()) && matches(environment, r.environment())
                        && matches(tool, r.tool()) && matches(agent, r.agent()))
                .toList();
        grid.setItems(InboxRow.of(shown, window));
        empty.setText(pending.isEmpty()
                ? "Nothing awaits you. Requests that need your approval appear here the moment an agent asks; you can also be asked in Slack."
                : "No request matches these filters; clear them to see all " + pending.size() + ".");
        empty.setVisible(shown.isEmpty());
        grid.setVisible(!shown.isEmpty());
    }

    private static boolean matches(ComboBox<String> filter, String value) {
        return filter.getValue() == null || filter.getValue().equals(value);
    }

}
