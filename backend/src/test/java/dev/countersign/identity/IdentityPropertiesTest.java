package dev.countersign.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class IdentityPropertiesTest {

    private static IdentityProperties with(boolean builtInIssuer, String issuerUri) {
        return new IdentityProperties("countersign", "groups", "preferred_username", issuerUri, issuerUri == null ? null : issuerUri + "/jwks",
                new IdentityProperties.BuiltInIssuer(builtInIssuer, "http://localhost:8080", Duration.ofMinutes(15), Duration.ofDays(30)),
                List.of(), List.of(), List.of(), Duration.ofSeconds(10), null, 3, null, List.of());
    }

    @Test
    void anExternalIssuerBesideTheBuiltInOneIsRefusedRatherThanIgnored() {
        assertThatThrownBy(() -> with(true, "https://id.example.com/realms/acme"))
                .hasMessageContaining("countersign.identity.issuer-uri (https://id.example.com/realms/acme) is set while the built-in issuer is on")
                .hasMessageContaining("countersign.identity.built-in-issuer.enabled=false");
        assertThat(with(false, "https://id.example.com/realms/acme").tokenIssuer()).isEqualTo("https://id.example.com/realms/acme");
        assertThat(with(true, null).tokenIssuer()).isEqualTo("http://localhost:8080");
    }
}
