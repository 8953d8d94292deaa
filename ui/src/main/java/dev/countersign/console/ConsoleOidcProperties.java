package dev.countersign.console;

import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code countersign.console.oidc.*}: sign-in to the console with your identity provider (OIDC
 * authorization code flow). Set {@code issuer-uri} and the console offers no password form.
 *
 * @param issuerUri     the provider's issuer; its discovery document is read at start-up
 * @param clientId      the console's client at the provider
 * @param clientSecret  its secret (client_secret_basic)
 * @param usernameClaim the claim that is the approver id ({@code user:<id>} in policies); empty: {@code
 *                      countersign.identity.username-claim}, which the API reads too. Another claim than the API's is
 *                      refused: one person must be one approver in the console and through the API
 * @param groupsClaim   the claim listing the person's groups; empty: {@code countersign.identity.groups-claim}
 * @param scopes        requested scopes
 */
@ConfigurationProperties("countersign.console.oidc")
public record ConsoleOidcProperties(
        String issuerUri,
        String clientId,
        String clientSecret,
        String usernameClaim,
        String groupsClaim,
        @DefaultValue({"openid", "profile", "email"}) List<String> scopes) {

    public boolean enabled() {
        return issuerUri != null && !issuerUri.isBlank();
    }
}
