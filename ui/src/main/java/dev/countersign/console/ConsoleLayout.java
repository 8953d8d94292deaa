package dev.countersign.console;

import com.vaadin.flow.component.applayout.AppLayout;
import com.vaadin.flow.component.applayout.DrawerToggle;
import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.html.Span;
import com.vaadin.flow.component.orderedlayout.FlexComponent;
import com.vaadin.flow.component.orderedlayout.HorizontalLayout;
import com.vaadin.flow.component.sidenav.SideNav;
import com.vaadin.flow.component.sidenav.SideNavItem;
import com.vaadin.flow.spring.security.AuthenticationContext;
import dev.countersign.actions.ActionRequests;
import dev.countersign.actions.ActionStatus;
import dev.countersign.identity.Caller;
import jakarta.annotation.security.PermitAll;

/**
 * Navigation (with the number of requests awaiting the approver), who is signed in, and sign-out,
 * around every console view. Vaadin checks a layout's access as well as its views'.
 */
@PermitAll
public class ConsoleLayout extends AppLayout {

    static final int COUNT_LIMIT = 99;

    private final ActionRequests actions;
    private final Caller.Approver approver;
    private final Span inboxCount = new Span();

    public ConsoleLayout(AuthenticationContext authentication, ActionRequests actions, ConsoleEvents events, CurrentApprover current,
                         ConsolePasskeyProperties passkeyProperties, ConsoleOidcProperties oidc) {
        this.actions = actions;
        this.approver = current.get();
        var title = new Span("Countersign");
        title.getStyle().set("font-weight", "600");
        var user = new Span(approver.id());
        user.setId("signed-in-as");
        var signOut = new Button("Sign out", click -> authentication.logout());
        signOut.addThemeVariants(ButtonVariant.LUMO_TERTIARY);
        // Spring Security's passkey page (a plain page, outside the console's views): register or remove passkeys.
        var passkeys = new com.vaadin.flow.component.html.Anchor("webauthn/register", "Passkeys");
        passkeys.setId("passkeys");
        passkeys.setRouterIgnore(true);
        passkeys.setVisible(passkeyProperties.enabled() && !oidc.enabled());
        var bar = new HorizontalLayout(title, user, passkeys, signOut);
        bar.setDefaultVerticalComponentAlignment(FlexComponent.Alignment.CENTER);
        bar.setWidthFull();
        bar.expand(title);
        bar.getStyle().set("padding-right", "var(--lumo-space-m)");
        var toggle = new DrawerToggle();
        toggle.setAriaLabel("Menu");
        // Landmarks for screen readers (and axe-core): the bar is the page's banner, each view its main content.
        var header = new com.vaadin.flow.component.html.Header(toggle, bar);
        header.getStyle().set("display", "flex").set("align-items", "center").set("width", "100%");
        addToNavbar(header);

        inboxCount.addClassName("badge");
        inboxCount.setId("inbox-count");
        var nav = new SideNav();
        nav.setLabel("Console");
        var inbox = new SideNavItem("Inbox", InboxView.class);
        inbox.setSuffixComponent(inboxCount);
        nav.addItem(inbox, new SideNavItem("History", HistoryView.class), new SideNavItem("Standing approvals", StandingApprovalsView.class));
        if (approver.isAdmin()) {
            nav.addItem(new SideNavItem("Dashboard", DashboardView.class), new SideNavItem("Agents", AgentsView.class),
                    new SideNavItem("Approvers", ApproversView.class),
                    new SideNavItem("Policy", PolicyView.class),
                    new SideNavItem("Audit", AuditView.class));
        }
        addToDrawer(nav);
        refreshCount();
        events.whileAttached(this, requestId -> refreshCount());
    }

    @Override
    public void showRouterLayoutContent(com.vaadin.flow.component.HasElement content) {
        content.getElement().setAttribute("role", "main");
        super.showRouterLayoutContent(content);
    }

    private void refreshCount() {
        long pending = actions.count(new ActionRequests.Search(approver.principals(), ActionStatus.PENDING, null, null, null, null, null));
        inboxCount.setText(pending > COUNT_LIMIT ? COUNT_LIMIT + "+" : String.valueOf(pending));
        inboxCount.getElement().setAttribute("aria-label", pending + " awaiting your decision");
        inboxCount.setVisible(pending > 0);
    }

}
