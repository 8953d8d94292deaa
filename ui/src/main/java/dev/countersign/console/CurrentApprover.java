package dev.countersign.console;

import dev.countersign.identity.Caller;
import dev.countersign.identity.Callers;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.stereotype.Component;

/** The signed-in human as an approver (groups from configuration or the OIDC token). */
@Component
class CurrentApprover {

    private final Callers callers;

    CurrentApprover(Callers callers) {
        this.callers = callers;
    }

    Caller.Approver get() {
        return callers.from(SecurityContextHolder.getContext().getAuthentication())
                .filter(Caller.Approver.class::isInstance)
                .map(Caller.Approver.class::cast)
                .orElseThrow(() -> new IllegalStateException("the console is for approvers"));
    }
}
