package dev.countersign.console;

import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code countersign.console.passkeys.*}: passkeys (WebAuthn) for approvers who sign in with a password (the built-in
 * users; with OIDC, the provider owns sign-in and its MFA). A passkey sign-in is a fresh sign-in for step-up rules.
 *
 * @param enabled        on by default where the console has a password form
 * @param rpId           the relying party id: the console's host name ({@code countersign.example.com}); passkeys are
 *                       bound to it
 * @param rpName         the name authenticators show
 * @param allowedOrigins the console's origins ({@code https://countersign.example.com}); empty: {@code
 *                       http://localhost:<port>} of this instance, for the embedded default only
 */
@ConfigurationProperties("countersign.console.passkeys")
public record ConsolePasskeyProperties(@DefaultValue("true") boolean enabled, @DefaultValue("localhost") String rpId,
                                       @DefaultValue("Countersign") String rpName, List<String> allowedOrigins) {

    public ConsolePasskeyProperties {
        allowedOrigins = allowedOrigins == null ? List.of() : List.copyOf(allowedOrigins);
    }
}
