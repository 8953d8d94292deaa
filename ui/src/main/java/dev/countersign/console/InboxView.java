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
    private List<ActionRequest> pending = List.of();

    public InboxView(ActionRequests actions, ConsoleEvents events, CurrentApprover currentApprover, Clock clock) {
        this.actions = actions;
        this.clock = clock;
        this.approver = currentApprover.get();
        grid.setId("inbox");
        grid.setAriaLabel("Requests awaiting your decision");
        grid.addColumn(ActionRequest::tool).setHeader("Tool").setAutoWidth(true).setFlexGrow(1);
        grid.addColumn(ConsoleFormat::amount).setHeader("Amount").setAutoWidth(true);
        grid.addColumn(ActionRequest::agent).setHeader("Agent").setAutoWidth(true);
        grid.addColumn(r -> r.approvals() + " of " + r.approval().quorum()).setHeader("Approvals").setAutoWidth(true);
        var age = grid.addColumn(r -> ConsoleFormat.age(r.createdAt(), clock.instant())).setHeader("Age").setAutoWidth(true)
                .setSortable(true).setComparator(Comparator.comparing(ActionRequest::createdAt).reversed()).setKey("age");
        grid.addColumn(r -> ConsoleFormat.timeLeft(r.approval().expiresAt(), clock.instant())).setHeader("Expires").setAutoWidth(true)
                .setSortable(true).setComparator(Comparator.comparing(r -> r.approval().expiresAt())).setKey("expires");
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
