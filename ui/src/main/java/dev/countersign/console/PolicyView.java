package dev.countersign.console;

import com.vaadin.flow.component.html.H2;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.html.Pre;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.router.PageTitle;
import com.vaadin.flow.router.Route;
import dev.countersign.policy.Policy;
import jakarta.annotation.security.RolesAllowed;

/** Admins: the policy in force, read-only, with the version every decision records. */
@Route(value = "admin/policy", layout = ConsoleLayout.class)
@PageTitle("Policy · Countersign")
@RolesAllowed("admin")
public class PolicyView extends VerticalLayout {

    public PolicyView(Policy policy) {
        var version = new Paragraph("Version " + policy.version() + ". Change it in the policy file (countersign.policy.location) and"
                + " restart; a policy with a mistake stops Countersign from starting rather than letting an action through.");
        version.setId("policy-version");
        var source = new Pre();
        source.setText(policy.source());
        source.setId("policy-source");
        source.addClassName("arguments");
        source.getStyle().set("max-height", "none");
        add(new H2("Policy"), version, source);
    }
}
