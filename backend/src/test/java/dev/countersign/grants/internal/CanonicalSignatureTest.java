package dev.countersign.grants.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.Payload;
import com.nimbusds.jose.JWSObject;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.util.Base64URL;
import org.junit.jupiter.api.Test;

class CanonicalSignatureTest {

    @Test
    void everySignatureComesOutLowAndStillVerifiesAndTheMalleatedTwinIsTold() throws Exception {
        ECKey key = new ECKeyGenerator(Curve.P_256).generate();
        int high = 0;
        for (int i = 0; i < 64; i++) {
            var jws = new JWSObject(new JWSHeader(JWSAlgorithm.ES256), new Payload("grant " + i));
            jws.sign(new ECDSASigner(key));
            String original = jws.serialize();
            byte[] originalSignature = jws.getSignature().decode();
            if (!CanonicalSignature.isLow(originalSignature)) {
                high++;
            }
            String normalised = CanonicalSignature.normalised(original);
            JWSObject parsed = JWSObject.parse(normalised);

            assertThat(CanonicalSignature.isLow(parsed.getSignature().decode())).isTrue();
            assertThat(parsed.verify(new ECDSAVerifier(key.toPublicJWK()))).isTrue();
            // Its twin (r, n - s) verifies too, which is exactly why it is refused at redemption.
            byte[] twin = CanonicalSignature.twin(parsed.getSignature().decode());
            JWSObject malleated = JWSObject.parse(normalised.substring(0, normalised.lastIndexOf('.') + 1) + Base64URL.encode(twin));
            assertThat(malleated.verify(new ECDSAVerifier(key.toPublicJWK()))).isTrue();
            assertThat(CanonicalSignature.isLow(twin)).isFalse();
        }
        // About half of all signatures come out high-S: the loop met some, so normalising was exercised.
        assertThat(high).isPositive();
    }
}
