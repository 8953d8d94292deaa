package dev.countersign.console;

import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.combobox.ComboBox;
import com.vaadin.flow.component.grid.Grid;
import com.vaadin.flow.component.html.H1;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.orderedlayout.FlexLayout;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.component.select.Select;
import com.vaadin.flow.component.textfield.TextField;
import com.vaadin.flow.data.value.ValueChangeMode;
import com.vaadin.flow.router.PageTitle;
import com.vaadin.flow.router.Route;
import dev.countersign.catalog.ActionCategories;
import dev.countersign.actions.ActionRequests;
import dev.countersign.actions.ActionStatus;
import dev.countersign.actions.ActionRequest;
import dev.countersign.identity.Caller;
import dev.countersign.identity.Callers;
import jakarta.annotation.security.PermitAll;
import java.util.ArrayList;
import java.util.List;

/**
 * Every request the signed-in person may see (all of them for admins), newest first, searched and
 * filtered in the database and read a page at a time by keyset cursor: never the whole table.
 */
@Route(value = "history", layout = ConsoleLayout.class)
@PageTitle("History · Countersign")
@PermitAll
public class HistoryView extends VerticalLayout {

    static final int PAGE = 50;

    private final ActionRequests actions;
    private final Caller.Approver approver;
    final TextField search = new TextField("Search");
    final Select<ActionStatus> status = new Select<>();
    final ComboBox<String> agent = new ComboBox<>("Agent");
    final Select<String> category = new Select<>();
    final TextField environment = new TextField("Environment");
    final Grid<ActionRequest> grid = new Grid<>();
    final Button more = new Button("Load more");
    final Paragraph empty = new Paragraph("No request matches. Clear a filter, or search by request id, tool, agent, resource or justification.");
    private final List<ActionRequest> loaded = new ArrayList<>();

    public HistoryView(ActionRequests actions, Callers callers, CurrentApprover current) {
        this.actions = actions;
        this.approver = current.get();
        search.setPlaceholder("Request id, tool, agent, resource…");
        search.setClearButtonVisible(true);
        search.setValueChangeMode(ValueChangeMode.LAZY);
        status.setLabel("Status");
        status.setItems(ActionStatus.values());
        status.setEmptySelectionAllowed(true);
        status.setEmptySelectionCaption("Any");
        agent.setItems(callers.agents().stream().map(Caller.Agent::id).toList());
        agent.setClearButtonVisible(true);
        category.setLabel("Category");
        category.setItems(ActionCategories.ALL);
        category.setEmptySelectionAllowed(true);
        category.setEmptySelectionCaption("Any");
        environment.setClearButtonVisible(true);
        environment.setValueChangeMode(ValueChangeMode.LAZY);
        search.addValueChangeListener(e -> reload());
        status.addValueChangeListener(e -> reload());
        agent.addValueChangeListener(e -> reload());
        category.addValueChangeListener(e -> reload());
        environment.addValueChangeListener(e -> reload());

        grid.setId("history");
        grid.setAriaLabel("Requests, newest first");
        grid.addColumn(r -> ConsoleFormat.time(r.createdAt())).setHeader("Asked").setAutoWidth(true);
        grid.addColumn(ActionRequest::tool).setHeader("Tool").setAutoWidth(true).setFlexGrow(1);
        grid.addColumn(ActionRequest::agent).setHeader("Agent").setAutoWidth(true);
        grid.addColumn(ConsoleFormat::amount).setHeader("Amount").setAutoWidth(true);
        grid.addColumn(r -> r.status().name()).setHeader("Status").setAutoWidth(true);
        grid.setAllRowsVisible(true);
        grid.addItemClickListener(click -> getUI().ifPresent(ui -> ui.navigate(RequestView.class, click.getItem().id())));
        more.setId("history-more");
        more.addClickListener(click -> loadPage());

        var filters = new FlexLayout(search, status, agent, category, environment);
        filters.setFlexWrap(FlexLayout.FlexWrap.WRAP);
        filters.getStyle().set("gap", "var(--lumo-space-s)");
        add(new H1("History"), filters, empty, grid, more);
        reload();
    }

    void reload() {
        loaded.clear();
        loadPage();
    }

    private void loadPage() {
        ActionRequests.Cursor after = loaded.isEmpty() ? null
                : new ActionRequests.Cursor(loaded.getLast().createdAt(), loaded.getLast().id());
        // One more than a page tells whether there is a next page without counting the table.
        var page = actions.search(criteria(), after, PAGE + 1);
        loaded.addAll(page.subList(0, Math.min(PAGE, page.size())));
        grid.setItems(loaded);
        more.setVisible(page.size() > PAGE);
        empty.setVisible(loaded.isEmpty());
        grid.setVisible(!loaded.isEmpty());
    }

    private ActionRequests.Search criteria() {
        return new ActionRequests.Search(approver.isAdmin() ? null : approver.principals(), status.getValue(), null, agent.getValue(),
                category.getValue(), environment.getValue(), search.getValue());
    }
}
