package dev.countersign.console;

import com.vaadin.flow.component.combobox.ComboBox;
import com.vaadin.flow.component.grid.Grid;
import com.vaadin.flow.component.grid.GridSortOrder;
import com.vaadin.flow.component.html.H2;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.orderedlayout.FlexLayout;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.data.provider.SortDirection;
import com.vaadin.flow.router.PageTitle;
import com.vaadin.flow.router.Route;
import dev.countersign.actions.ActionRequests;
import dev.countersign.actions.ActionStatus;
import dev.countersign.actions.ActionRequest;
import dev.countersign.identity.Caller;
import jakarta.annotation.security.PermitAll;
import java.time.Clock;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;

/**
 * What awaits the signed-in approver, kept live by server push: sortable by age and by expiry,
 * filtered by category, environment, tool and agent.
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
    final Grid<ActionRequest> grid = new Grid<>();
    final Paragraph empty = new Paragraph();
    final ComboBox<String> category = filter("Category");
    final ComboBox<String> environment = filter("Environment");
    final ComboBox<String> tool = filter("Tool");
    final ComboBox<String> agent = filter("Agent");
    /** On a phone, one column that shows each request whole; the table's columns on anything wider. */
    final Grid.Column<ActionRequest> card;
    private final List<Grid.Column<ActionRequest>> columns;
    static final int PHONE_WIDTH = 600;
    private List<ActionRequest> pending = List.of();

    public InboxView(ActionRequests actions, ConsoleEvents events, CurrentApprover currentApprover, Clock clock) {
        this.actions = actions;
        this.clock = clock;
        this.approver = currentApprover.get();
        grid.setId("inbox");
        grid.setAriaLabel("Requests awaiting your decision");
        var toolColumn = grid.addColumn(ActionRequest::tool).setHeader("Tool").setAutoWidth(true).setFlexGrow(1);
        var amount = grid.addColumn(ConsoleFormat::amount).setHeader("Amount").setAutoWidth(true);
        var agentColumn = grid.addColumn(ActionRequest::agent).setHeader("Agent").setAutoWidth(true);
        var approvals = grid.addColumn(r -> r.approvals() + " of " + r.approval().quorum()).setHeader("Approvals").setAutoWidth(true);
        var age = grid.addColumn(r -> ConsoleFormat.age(r.createdAt(), clock.instant())).setHeader("Age").setAutoWidth(true)
                .setSortable(true).setComparator(Comparator.comparing(ActionRequest::createdAt).reversed()).setKey("age");
        var expires = grid.addColumn(r -> ConsoleFormat.timeLeft(r.approval().expiresAt(), clock.instant())).setHeader("Expires")
                .setAutoWidth(true).setSortable(true).setComparator(Comparator.comparing(r -> r.approval().expiresAt())).setKey("expires");
        columns = List.of(toolColumn, amount, agentColumn, approvals, age, expires);
        card = grid.addComponentColumn(this::card).setHeader("Request").setFlexGrow(1);
        card.setVisible(false);
        grid.sort(List.of(new GridSortOrder<>(age, SortDirection.ASCENDING)));
        grid.setAllRowsVisible(true);
        grid.addItemClickListener(click -> getUI().ifPresent(ui -> ui.navigate(RequestView.class, click.getItem().id())));
        var filters = new FlexLayout(category, environment, tool, agent);
        filters.setFlexWrap(FlexLayout.FlexWrap.WRAP);
        filters.getStyle().set("gap", "var(--lumo-space-s)");
        List.of(category, environment, tool, agent).forEach(box -> box.addValueChangeListener(change -> show()));
        empty.setId("inbox-empty");
        add(new H2("Awaiting your decision"), filters, empty, grid);
        refresh();
        events.whileAttached(this, requestId -> refresh());
    }

    @Override
    protected void onAttach(com.vaadin.flow.component.AttachEvent attach) {
        var page = attach.getUI().getPage();
        page.retrieveExtendedClientDetails(details -> fitTo(details.getWindowInnerWidth()));
        page.addBrowserWindowResizeListener(resize -> fitTo(resize.getWidth()));
    }

    /** A phone (390 px) cannot show six columns: each request becomes one card with everything the columns show. */
    void fitTo(int width) {
        boolean phone = width < PHONE_WIDTH;
        card.setVisible(phone);
        columns.forEach(column -> column.setVisible(!phone));
    }

    VerticalLayout card(ActionRequest r) {
        var what = new com.vaadin.flow.component.html.Span(r.tool() + (r.amount() == null ? "" : " · " + ConsoleFormat.amount(r)));
        what.getStyle().set("font-weight", "600");
        var who = new com.vaadin.flow.component.html.Span(r.agentLabel()
                + (r.delegation() == null ? "" : " (delegated: " + r.delegation().text() + ")") + " · " + r.approvals() + " of " + r.approval().quorum()
                + " approvals · asked " + ConsoleFormat.age(r.createdAt(), clock.instant()) + " · expires "
                + ConsoleFormat.timeLeft(r.approval().expiresAt(), clock.instant()));
        who.getStyle().set("font-size", "var(--lumo-font-size-s)").set("white-space", "normal");
        var card = new VerticalLayout(what, who);
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
        grid.setItems(shown);
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
