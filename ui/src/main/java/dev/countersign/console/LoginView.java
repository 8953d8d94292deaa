package dev.countersign.console;

import com.vaadin.flow.component.html.H1;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.login.LoginForm;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.router.BeforeEnterEvent;
import com.vaadin.flow.router.BeforeEnterObserver;
import com.vaadin.flow.router.PageTitle;
import com.vaadin.flow.router.Route;
import com.vaadin.flow.server.auth.AnonymousAllowed;

@Route("login")
@PageTitle("Sign in · Countersign")
@AnonymousAllowed
public class LoginView extends VerticalLayout implements BeforeEnterObserver {

    private final LoginForm form = new LoginForm();

    public LoginView() {
        setSizeFull();
        getElement().setAttribute("role", "main");
        setAlignItems(Alignment.CENTER);
        setJustifyContentModeVariant();
        form.setAction("login");
        form.setForgotPasswordButtonVisible(false);
        add(new H1("Countersign"), new Paragraph("Approvals for what your agents want to do."), form);
    }

    private void setJustifyContentModeVariant() {
        setJustifyContentMode(JustifyContentMode.CENTER);
    }

    @Override
    public void beforeEnter(BeforeEnterEvent event) {
        form.setError(event.getLocation().getQueryParameters().getParameters().containsKey("error"));
    }
}
