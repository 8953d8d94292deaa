package dev.countersign.console;

import com.vaadin.flow.component.AttachEvent;
import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.html.H1;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.login.LoginForm;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.router.BeforeEnterEvent;
import com.vaadin.flow.router.BeforeEnterObserver;
import com.vaadin.flow.router.PageTitle;
import com.vaadin.flow.router.Route;
import com.vaadin.flow.server.VaadinServletRequest;
import com.vaadin.flow.server.auth.AnonymousAllowed;
import org.springframework.security.web.csrf.CsrfToken;

@Route("login")
@PageTitle("Sign in · Countersign")
@AnonymousAllowed
public class LoginView extends VerticalLayout implements BeforeEnterObserver {

    private final LoginForm form = new LoginForm();
    /** Shown where passkeys are on: Spring Security's own script runs the WebAuthn ceremony and signs in. */
    final Button passkey = new Button("Sign in with a passkey");

    public LoginView(ConsolePasskeyProperties passkeys) {
        setSizeFull();
        getElement().setAttribute("role", "main");
        setAlignItems(Alignment.CENTER);
        setJustifyContentModeVariant();
        form.setAction("login");
        form.setForgotPasswordButtonVisible(false);
        add(new H1("Countersign"), new Paragraph("Approvals for what your agents want to do."), form);
        passkey.setId("passkey-sign-in");
        passkey.setVisible(passkeys.enabled());
        add(passkey);
    }

    private void setJustifyContentModeVariant() {
        setJustifyContentMode(JustifyContentMode.CENTER);
    }

    @Override
    public void beforeEnter(BeforeEnterEvent event) {
        form.setError(event.getLocation().getQueryParameters().getParameters().containsKey("error"));
    }

    @Override
    protected void onAttach(AttachEvent attach) {
        if (!passkey.isVisible()) {
            return;
        }
        // The ceremony's two POSTs carry the session's CSRF token, as Spring Security's own login page sends it.
        var request = VaadinServletRequest.getCurrent();
        var csrf = request == null ? null : (CsrfToken) request.getAttribute(CsrfToken.class.getName());
        passkey.getElement().executeJs("""
                const button = this;
                const headers = $0 ? {[$0]: $1} : {};
                const start = () => window.setupLogin(headers, '', button);
                if (window.setupLogin) { start(); return; }
                const script = document.createElement('script');
                script.src = 'login/webauthn.js';
                script.onload = start;
                document.head.appendChild(script);""", csrf == null ? null : csrf.getHeaderName(), csrf == null ? null : csrf.getToken());
    }
}
