package dev.countersign.console;

import dev.countersign.identity.Caller;
import dev.countersign.identity.Callers;
import org.springframework.security.core.authority.FactorGrantedAuthority;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.web.webauthn.management.PublicKeyCredentialUserEntityRepository;
import org.springframework.security.web.webauthn.management.UserCredentialRepository;
import org.springframework.stereotype.Component;

/** The signed-in human as an approver (groups from configuration or the OIDC token). */
@Component
class CurrentApprover {

    private final Callers callers;
    private final PublicKeyCredentialUserEntityRepository passkeyUsers;
    private final UserCredentialRepository passkeys;

    CurrentApprover(Callers callers, PublicKeyCredentialUserEntityRepository passkeyUsers, UserCredentialRepository passkeys) {
        this.callers = callers;
        this.passkeyUsers = passkeyUsers;
        this.passkeys = passkeys;
    }

    Caller.Approver get() {
        return callers.from(SecurityContextHolder.getContext().getAuthentication())
                .filter(Caller.Approver.class::isInstance)
                .map(Caller.Approver.class::cast)
                .orElseThrow(() -> new IllegalStateException("the console is for approvers"));
    }

    /**
     * The approver as a vote sees them. Someone who registered a passkey proves a fresh sign-in for step-up rules with
     * it: their sign-in time is their passkey's (none, after a password sign-in), so a stolen password alone never
     * approves what a step-up rule guards.
     */
    Caller.Approver forVoting() {
        Caller.Approver approver = get();
        return hasPasskey(approver) ? approver.signedInAt(Callers.factorTime(SecurityContextHolder.getContext().getAuthentication(),
                FactorGrantedAuthority.WEBAUTHN_AUTHORITY::equals)) : approver;
    }

    boolean hasPasskey(Caller.Approver approver) {
        var user = passkeyUsers.findByUsername(approver.id());
        return user != null && !passkeys.findByUserId(user.getId()).isEmpty();
    }

}
