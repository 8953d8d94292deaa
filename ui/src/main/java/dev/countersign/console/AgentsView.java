package dev.countersign.console;

import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.grid.Grid;
import com.vaadin.flow.component.html.H1;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.notification.Notification;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.router.PageTitle;
import com.vaadin.flow.router.Route;
import dev.countersign.identity.Caller;
import dev.countersign.identity.AgentSwitches;
import dev.countersign.identity.Callers;
import jakarta.annotation.security.RolesAllowed;

/** Admins: the registered agents, their owners and tools; switching one off takes effect on its next call. */
@Route(value = "admin/agents", layout = ConsoleLayout.class)
@PageTitle("Agents · Countersign")
@RolesAllowed("admin")
public class AgentsView extends VerticalLayout {

    private final Callers callers;
    private final AgentSwitches switches;
    private final Caller.Approver admin;
    final Grid<Caller.Agent> grid = new Grid<>();

    public AgentsView(Callers callers, AgentSwitches switches, CurrentApprover current) {
        this.callers = callers;
        this.switches = switches;
        this.admin = current.get();
        grid.setId("agents");
        grid.addColumn(Caller.Agent::id).setHeader("Agent").setAutoWidth(true);
        grid.addColumn(Caller.Agent::owner).setHeader("Owner").setAutoWidth(true);
        grid.addColumn(agent -> String.join(", ", agent.tools())).setHeader("Allowed tools").setFlexGrow(1);
        grid.addColumn(agent -> agent.enabled() ? "enabled" : callers.disabledByConfiguration(agent.id())
                ? "disabled in configuration" : "disabled").setHeader("Status").setAutoWidth(true);
        grid.addComponentColumn(this::switchFor).setHeader("Switch").setAutoWidth(true);
        grid.setAllRowsVisible(true);
        add(new H1("Agents"), new Paragraph("Agents are registered in configuration (countersign.identity.agents). Disabling one here refuses"
                + " its next request on every instance; requests already pending stay for the approvers to decide."), grid);
        refresh();
    }

    private Button switchFor(Caller.Agent agent) {
        boolean configuredOff = callers.disabledByConfiguration(agent.id());
        var button = new Button(agent.enabled() ? "Disable" : "Enable", click -> {
            switches.set(admin, agent.id(), !agent.enabled());
            Notification.show(agent.id() + (agent.enabled() ? " disabled: its next request is refused" : " enabled"));
            refresh();
        });
        button.setId("switch-" + agent.id());
        button.addThemeVariants(agent.enabled() ? ButtonVariant.LUMO_ERROR : ButtonVariant.LUMO_PRIMARY);
        button.setEnabled(!configuredOff);
        if (configuredOff) {
            button.setTooltipText("Disabled in configuration: change countersign.identity.agents to enable it");
        }
        button.setAriaLabel((agent.enabled() ? "Disable " : "Enable ") + agent.id());
        return button;
    }

    void refresh() {
        grid.setItems(callers.agents());
    }
}
