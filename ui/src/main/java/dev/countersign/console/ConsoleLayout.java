package dev.countersign.console;

import com.vaadin.flow.component.applayout.AppLayout;
import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.html.Span;
import com.vaadin.flow.component.orderedlayout.HorizontalLayout;
import com.vaadin.flow.router.RouterLink;
import com.vaadin.flow.spring.security.AuthenticationContext;
import jakarta.annotation.security.PermitAll;

/** Navigation and sign-out, around every console view. Vaadin checks a layout's access as well as its views'. */
@PermitAll
public class ConsoleLayout extends AppLayout {

    public ConsoleLayout(AuthenticationContext authentication) {
        var title = new Span("Countersign");
        title.getStyle().set("font-weight", "600").set("margin", "0 1rem");
        var inbox = new RouterLink("Inbox", InboxView.class);
        var user = new Span(authentication.getPrincipalName().orElse(""));
        var signOut = new Button("Sign out", click -> authentication.logout());
        var bar = new HorizontalLayout(title, inbox, user, signOut);
        bar.setDefaultVerticalComponentAlignment(HorizontalLayout.Alignment.CENTER);
        bar.setWidthFull();
        bar.expand(inbox);
        addToNavbar(bar);
    }
}
