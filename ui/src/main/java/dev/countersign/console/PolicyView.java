package dev.countersign.console;

import com.github.difflib.DiffUtils;
import com.github.difflib.UnifiedDiffUtils;
import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.grid.Grid;
import com.vaadin.flow.component.html.H1;
import com.vaadin.flow.component.html.H2;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.html.Pre;
import com.vaadin.flow.component.notification.Notification;
import com.vaadin.flow.component.orderedlayout.HorizontalLayout;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.component.textfield.TextArea;
import com.vaadin.flow.component.textfield.TextField;
import com.vaadin.flow.data.value.ValueChangeMode;
import com.vaadin.flow.router.PageTitle;
import com.vaadin.flow.router.Route;
import dev.countersign.actions.PolicySimulator;
import dev.countersign.catalog.CatalogAdministration;
import dev.countersign.common.ApiProblem;
import dev.countersign.documents.DocumentAdministration;
import dev.countersign.documents.DocumentVersions;
import dev.countersign.policy.PolicyAdministration;
import jakarta.annotation.security.RolesAllowed;
import java.util.Arrays;
import java.util.List;

/**
 * Admins: the policy and the tool catalog in force, and new versions of them. A draft is checked
 * as it is typed (it must compile, and the policy's tests must pass), its changes against the
 * version in force are shown as a diff, a dry run replays the last week's requests against it,
 * and activation (with a comment saying why) puts it in force on every instance. Requests keep the
 * versions they were decided under. Read-only when the files are the only source.
 */
@Route(value = "admin/policy", layout = ConsoleLayout.class)
@PageTitle("Policy · Countersign")
@RolesAllowed("admin")
public class PolicyView extends VerticalLayout {

    /** Which document: a labelled radio group (axe-core found vaadin-tabs' tablist missing the children ARIA requires). */
    final com.vaadin.flow.component.radiobutton.RadioButtonGroup<String> document = new com.vaadin.flow.component.radiobutton.RadioButtonGroup<>(
            "Document", "Policy", "Tool catalog");
    final Paragraph inForce = new Paragraph();
    final TextArea editor = new TextArea();
    final Paragraph status = new Paragraph();
    final Pre problems = new Pre();
    final Button showChanges = new Button("Show changes");
    final Button simulate = new Button("Dry run: last 7 days");
    final TextField comment = new TextField("Why this version");
    final Button activate = new Button("Activate");
    final Pre output = new Pre();
    final Grid<DocumentVersions.Version> versions = new Grid<>();

    private final PolicyAdministration policy;
    private final CatalogAdministration catalog;
    private final PolicySimulator simulator;
    private final CurrentApprover me;

    public PolicyView(PolicyAdministration policy, CatalogAdministration catalog, PolicySimulator simulator, CurrentApprover me) {
        this.policy = policy;
        this.catalog = catalog;
        this.simulator = simulator;
        this.me = me;
        setWidthFull();
        inForce.setId("policy-version");
        editor.setId("policy-source");
        editor.setLabel("Source (YAML): edit to make a draft");
        document.setId("document");
        document.setValue("Policy");
        editor.setWidthFull();
        editor.getStyle().set("font-family", "var(--lumo-font-family-monospace, monospace)").set("font-size", "var(--lumo-font-size-s)");
        editor.setMinHeight("24em");
        editor.setValueChangeMode(ValueChangeMode.LAZY);
        editor.addValueChangeListener(change -> check());
        status.setId("draft-status");
        problems.setId("draft-problems");
        problems.setVisible(false);
        output.setId("draft-output");
        output.setVisible(false);
        comment.setId("version-comment");
        comment.setWidthFull();
        comment.setMaxLength(2000);
        showChanges.addClickListener(click -> showChanges());
        simulate.addClickListener(click -> simulate());
        activate.addThemeVariants(ButtonVariant.LUMO_PRIMARY);
        activate.setId("activate");
        activate.addClickListener(click -> activate());
        versions.addColumn(DocumentVersions.Version::number).setHeader("Version").setAutoWidth(true).setFlexGrow(0);
        versions.addColumn(version -> ConsoleFormat.time(version.createdAt())).setHeader("Saved").setAutoWidth(true);
        versions.addColumn(DocumentVersions.Version::author).setHeader("By").setAutoWidth(true);
        versions.addColumn(DocumentVersions.Version::comment).setHeader("Why");
        versions.addColumn(DocumentVersions.Version::hash).setHeader("Recorded as").setAutoWidth(true);
        versions.setAllRowsVisible(true);
        document.addValueChangeListener(change -> load());
        var actions = new HorizontalLayout(showChanges, simulate);
        actions.setWrap(true);
        add(new H1("Policy and tool catalog"), document, inForce, editor, status, problems, actions, comment, activate, output,
                new H2("Versions"), versions);
        load();
    }

    /** The document of the selected tab. */
    DocumentAdministration document() {
        return isPolicy() ? policy : catalog;
    }

    private boolean isPolicy() {
        return !"Tool catalog".equals(document.getValue());
    }

    private void load() {
        DocumentAdministration document = document();
        String what = isPolicy() ? "policy" : "tool catalog";
        inForce.setText(document.active()
                .map(active -> "Version " + active.version().number() + " (recorded as " + active.version().hash() + ") is in force, activated by "
                        + active.activatedBy() + " at " + ConsoleFormat.time(active.activatedAt())
                        + (active.version().comment() == null ? "" : ": " + active.version().comment())
                        + ". Requests keep the version they were decided under.")
                .orElse("The " + what + " comes from its file (countersign." + (isPolicy() ? "policy" : "catalog")
                        + ".source=file), read-only here: change the file and restart."));
        editor.setReadOnly(!document.editable());
        editor.setValue(document.source());
        comment.setVisible(document.editable());
        activate.setVisible(document.editable());
        comment.clear();
        output.setVisible(false);
        versions.setItems(document.history(50));
        check();
    }

    /** Whether the draft may be activated, said as the admin types. */
    void check() {
        if (!document().editable()) {
            status.setText("");
            problems.setVisible(false);
            return;
        }
        List<String> found = document().check(editor.getValue());
        boolean unchanged = editor.getValue().equals(document().source());
        status.setText(!found.isEmpty() ? "This draft cannot be activated:"
                : unchanged ? "No changes to the version in force." : "The draft compiles and the policy's tests pass; it can be activated.");
        problems.setText(String.join("\n\n", found));
        problems.setVisible(!found.isEmpty());
        activate.setEnabled(found.isEmpty() && !unchanged);
    }

    void showChanges() {
        var before = Arrays.asList(document().source().split("\n", -1));
        var after = Arrays.asList(editor.getValue().split("\n", -1));
        var diff = UnifiedDiffUtils.generateUnifiedDiff("in force", "draft", before, DiffUtils.diff(before, after), 3);
        output.setText(diff.isEmpty() ? "No changes." : String.join("\n", diff));
        output.setVisible(true);
    }

    void simulate() {
        try {
            var result = isPolicy() ? simulator.simulate(editor.getValue(), null, 7) : simulator.simulate(null, editor.getValue(), 7);
            StringBuilder text = new StringBuilder("Of " + result.examined() + " requests in the last " + result.days() + " days, "
                    + result.changed() + " would be decided differently" + (result.truncated() ? " (only the newest were examined)" : "")
                    + ".\n" + result.note() + "\n");
            for (var change : result.changes()) {
                text.append("\n").append(change.count()).append(" × ").append(describe(change.was())).append(" → ")
                        .append(describe(change.wouldBe())).append("   e.g. ").append(String.join(", ", change.examples()));
            }
            output.setText(text.toString());
        } catch (ApiProblem refused) {
            output.setText(refused.getMessage());
        }
        output.setVisible(true);
    }

    void activate() {
        if (comment.isEmpty() || comment.getValue().isBlank()) {
            comment.setInvalid(true);
            comment.setErrorMessage("Say why this version replaces the one in force");
            return;
        }
        try {
            var active = document().activate(editor.getValue(), me.get().id(), comment.getValue().strip());
            Notification.show("Version " + active.version().number() + " is in force");
            load();
        } catch (ApiProblem refused) {
            Notification.show(refused.getMessage());
        }
    }

    private static String describe(PolicySimulator.Outcome outcome) {
        return outcome.effect() + " (" + outcome.rule() + ")";
    }
}
