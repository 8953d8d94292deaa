package dev.countersign.console;

import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.grid.Grid;
import com.vaadin.flow.component.html.H1;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.orderedlayout.FlexLayout;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.router.PageTitle;
import com.vaadin.flow.router.Route;
import dev.countersign.audit.AuditEntry;
import dev.countersign.audit.AuditLog;
import jakarta.annotation.security.RolesAllowed;
import java.util.ArrayList;
import java.util.List;

/** Admins: the audit chain, newest first, a page at a time, and a check that it is unbroken. */
@Route(value = "admin/audit", layout = ConsoleLayout.class)
@PageTitle("Audit · Countersign")
@RolesAllowed("admin")
public class AuditView extends VerticalLayout {

    static final int PAGE = 100;

    private final AuditLog audit;
    final Grid<AuditEntry> grid = new Grid<>();
    final Button older = new Button("Older entries");
    final Paragraph verification = new Paragraph();
    private final List<AuditEntry> loaded = new ArrayList<>();

    public AuditView(AuditLog audit) {
        this.audit = audit;
        grid.setId("audit");
        grid.addColumn(AuditEntry::seq).setHeader("#").setAutoWidth(true);
        grid.addColumn(e -> ConsoleFormat.time(e.at())).setHeader("At").setAutoWidth(true);
        grid.addColumn(AuditEntry::type).setHeader("Event").setAutoWidth(true);
        grid.addColumn(AuditEntry::actor).setHeader("Actor").setAutoWidth(true);
        grid.addColumn(e -> e.requestId() == null ? "" : e.requestId()).setHeader("Request").setAutoWidth(true);
        grid.addColumn(AuditEntry::data).setHeader("Data").setFlexGrow(1);
        grid.setAllRowsVisible(true);
        older.addClickListener(click -> loadPage());
        verification.setId("audit-verification");
        var verify = new Button("Verify the chain", click -> {
            var result = audit.verify();
            verification.setText(result.valid() ? "The chain holds: " + result.entries() + " entries, every hash recomputed."
                    : "The chain is broken at entry " + result.firstBrokenSeq() + ": " + result.problem());
        });
        var actions = new FlexLayout(verify);
        add(new H1("Audit"), actions, verification, grid, older);
        loadPage();
    }

    private void loadPage() {
        long before = loaded.isEmpty() ? Long.MAX_VALUE : loaded.getLast().seq();
        var page = audit.newest(before, PAGE + 1);
        loaded.addAll(page.subList(0, Math.min(PAGE, page.size())));
        grid.setItems(loaded);
        older.setVisible(page.size() > PAGE);
    }
}
