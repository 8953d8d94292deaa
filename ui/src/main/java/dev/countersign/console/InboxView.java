package dev.countersign.console;

import com.vaadin.flow.component.AttachEvent;
import com.vaadin.flow.component.DetachEvent;
import com.vaadin.flow.component.grid.Grid;
import com.vaadin.flow.component.html.H2;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.router.PageTitle;
import com.vaadin.flow.router.Route;
import dev.countersign.actions.ActionRequests;
import dev.countersign.actions.ActionStatus;
import dev.countersign.actions.ActionView;
import dev.countersign.identity.Caller;
import jakarta.annotation.security.PermitAll;
import java.util.List;

/** What awaits the signed-in approver, newest first, kept live by server push. */
@Route(value = "", layout = ConsoleLayout.class)
@PageTitle("Inbox · Countersign")
@PermitAll
public class InboxView extends VerticalLayout {

    private final ActionRequests actions;
    private final ConsoleEvents events;
    private final Caller.Approver approver;
    private final Grid<ActionView> grid = new Grid<>();
    private final Paragraph empty = new Paragraph("Nothing awaits you. Requests that need your approval appear here as they arrive.");
    private Runnable unsubscribe;

    public InboxView(ActionRequests actions, ConsoleEvents events, CurrentApprover currentApprover) {
        this.actions = actions;
        this.events = events;
        this.approver = currentApprover.get();
        grid.setId("inbox");
        grid.addColumn(ActionView::tool).setHeader("Tool").setAutoWidth(true);
        grid.addColumn(r -> r.amount() == null ? "" : r.amount().value() + " " + r.amount().currency()).setHeader("Amount");
        grid.addColumn(r -> r.environment() == null ? "" : r.environment()).setHeader("Environment");
        grid.addColumn(ActionView::agent).setHeader("Agent");
        grid.addColumn(r -> r.approvals() + " of " + r.approval().quorum()).setHeader("Approvals");
        grid.addColumn(r -> String.valueOf(r.approval().expiresAt())).setHeader("Expires");
        grid.addItemClickListener(click -> getUI().ifPresent(ui -> ui.navigate(RequestView.class, click.getItem().id())));
        add(new H2("Awaiting your decision"), empty, grid);
        refresh();
    }

    private void refresh() {
        List<ActionView> pending = actions.forApprover(approver.principals(), ActionStatus.PENDING, null, 100);
        grid.setItems(pending);
        empty.setVisible(pending.isEmpty());
        grid.setVisible(!pending.isEmpty());
    }

    @Override
    protected void onAttach(AttachEvent attach) {
        var ui = attach.getUI();
        unsubscribe = events.subscribe(id -> ui.access(this::refresh));
    }

    @Override
    protected void onDetach(DetachEvent detach) {
        if (unsubscribe != null) {
            unsubscribe.run();
        }
    }
}
