package dev.countersign.testing;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.function.Consumer;

/**
 * JWT-SVIDs of the test trust domain {@code test.example}, as its SPIRE server would mint them:
 * signed with the key whose public half is in {@code spiffe/test.example.bundle.json}
 * (application-test.yaml trusts it), for the audience {@code countersign}, five minutes long.
 */
public final class Svids {

    public static final String AGENT = "spiffe://test.example/ns/payments/sa/svid-agent";

    private Svids() {
    }

    /** An SVID of the registered test workload, changed as the caller says. */
    public static String of(Consumer<JWTClaimsSet.Builder> change) {
        return signed(key("/spiffe/test.example.jwt-signer.json"), change);
    }

    public static String signed(ECKey key, Consumer<JWTClaimsSet.Builder> change) {
        var claims = new JWTClaimsSet.Builder()
                .subject(AGENT)
                .audience(List.of("countersign"))
                .issueTime(new Date())
                .expirationTime(Date.from(Instant.now().plus(Duration.ofMinutes(5))));
        change.accept(claims);
        var jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.ES256).keyID(key.getKeyID()).type(JOSEObjectType.JWT).build(),
                claims.build());
        try {
            jwt.sign(new ECDSASigner(key));
        } catch (com.nimbusds.jose.JOSEException e) {
            throw new IllegalStateException(e);
        }
        return jwt.serialize();
    }

    /** A private key of the test trust domain's, from test resources. */
    public static ECKey key(String resource) {
        try (InputStream in = Svids.class.getResourceAsStream(resource)) {
            return ECKey.parse(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException | java.text.ParseException e) {
            throw new IllegalStateException("test key " + resource, e);
        }
    }
}
