package dev.countersign.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import dev.countersign.EndToEndBase;
import dev.countersign.EndToEndTest;
import dev.countersign.testing.Svids;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.UUID;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtException;

/**
 * SPIFFE JWT-SVIDs beside the built-in issuer's tokens. The test trust domain {@code test.example}
 * is configured with a bundle in test resources ({@code spiffe/test.example.bundle.json}, a key
 * marked {@code use: jwt-svid}, plus an X.509-SVID key that must not verify JWTs); its signing
 * key is beside it, for the test only. The agent {@code spiffe://test.example/ns/payments/sa/svid-agent}
 * is registered without a secret (application-test.yaml). Each refusal differs from the accepted
 * SVID in exactly one way, and the decoder is asked directly too, to show it refuses for that reason.
 */
@EndToEndTest
class SpiffeSvidTest extends EndToEndBase {

    private static final String AGENT = Svids.AGENT;

    @Autowired
    JwtDecoder tokens;

    @Test
    void aRegisteredWorkloadAsksWithItsSvid() throws Exception {
        String svid = svid(signer(), claims -> { });
        var asked = api.ask(svid, payment());
        assertThat(asked.status()).as(asked.raw().body()).isEqualTo(201);
        assertThat(asked.body().get("agent").asString()).isEqualTo(AGENT);
        assertThat(asked.body().get("agentName").asString()).isEqualTo("SVID agent");
        assertThat(asked.body().get("status").asString()).isEqualTo("PENDING");
    }

    @Test
    void svidsAreRefusedForTheirTrustDomainAudienceExpiryOrAnUnregisteredId() throws Exception {
        ECKey signer = signer();
        ECKey otherDomain = new ECKeyGenerator(Curve.P_256).keyID("other-" + UUID.randomUUID()).generate();

        // Another trust domain, not configured here, with its own key.
        assertRefused(svid(otherDomain, c -> c.subject("spiffe://other.example/ns/payments/sa/svid-agent")), "not trusted here");
        // Our domain's workload, but signed by another domain's key.
        assertRefused(svid(otherDomain, c -> { }), "no matching key");
        // Our domain's key vouching for another domain's workload.
        assertRefused(svid(signer, c -> c.subject("spiffe://other.example/ns/payments/sa/svid-agent")), "not trusted here");
        // For another service.
        assertRefused(svid(signer, c -> c.audience("spiffe://test.example/some-other-service")), "aud");
        // Expired (beyond the 10 s skew).
        assertRefused(svid(signer, c -> c.issueTime(Date.from(Instant.now().minus(Duration.ofMinutes(7))))
                .expirationTime(Date.from(Instant.now().minus(Duration.ofMinutes(2))))), "expired");
        // Without an expiry: the JWT-SVID specification requires one.
        assertRefused(svid(signer, c -> c.expirationTime(null)), "exp");
        // Signed with the bundle's X.509-SVID key, which does not sign JWTs.
        assertRefused(svid(x509Signer(), c -> { }), "no matching key");

        // A valid SVID of an ID nobody registered names no agent.
        var unknown = api.ask(svid(signer, c -> c.subject("spiffe://test.example/ns/payments/sa/someone-else")), payment());
        assertThat(unknown.status()).isEqualTo(401);
        assertThat(unknown.raw().body()).contains("names no registered agent");
        assertThat(tokens.decode(svid(signer, c -> c.subject("spiffe://test.example/ns/payments/sa/someone-else"))).getSubject())
                .isEqualTo("spiffe://test.example/ns/payments/sa/someone-else");
    }

    @Test
    void anAgentWithoutASecretGetsNoTokenFromTheBuiltInIssuer() {
        // Registered without a secret, it was a client of the built-in issuer whose password was the text "null".
        var token = api.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://localhost:" + port + "/oauth2/token"))
                .header("Authorization", "Basic " + java.util.Base64.getEncoder().encodeToString((AGENT + ":null").getBytes(StandardCharsets.UTF_8)))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString("grant_type=client_credentials")));
        assertThat(token.status()).isEqualTo(401);
    }

    private void assertRefused(String svid, String reason) {
        var asked = api.ask(svid, payment());
        assertThat(asked.status()).as(asked.raw().body()).isEqualTo(401);
        assertThat(asked.code()).isEqualTo("unauthorized");
        assertThatThrownBy(() -> tokens.decode(svid)).isInstanceOf(JwtException.class).hasMessageContaining(reason);
    }

    private static String svid(ECKey key, Consumer<JWTClaimsSet.Builder> change) {
        return Svids.signed(key, change);
    }

    private static ECKey signer() {
        return Svids.key("/spiffe/test.example.jwt-signer.json");
    }

    private static ECKey x509Signer() {
        return Svids.key("/spiffe/test.example.x509-signer.json");
    }

    private static String payment() {
        return "{\"tool\":\"payments.transfer\",\"arguments\":{\"from\":\"acct-ops\",\"to\":\"acct-" + UUID.randomUUID()
                + "\",\"amount\":\"20.00\"}}";
    }
}
