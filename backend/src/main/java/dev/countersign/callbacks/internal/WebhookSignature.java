package dev.countersign.callbacks.internal;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The Standard Webhooks signature (standardwebhooks.com), so receivers verify with any of its
 * libraries: {@code v1,} and the base64 HMAC-SHA256 of {@code id.timestamp.body}, keyed with the
 * bytes of the secret after {@code whsec_} (base64), or with the secret's own bytes when it is not
 * in that form.
 */
final class WebhookSignature {

    private WebhookSignature() {
    }

    static String sign(String secret, String id, long timestamp, String body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key(secret), "HmacSHA256"));
            byte[] signature = mac.doFinal((id + "." + timestamp + "." + body).getBytes(StandardCharsets.UTF_8));
            return "v1," + Base64.getEncoder().encodeToString(signature);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    static byte[] key(String secret) {
        if (secret.startsWith("whsec_")) {
            try {
                return Base64.getDecoder().decode(secret.substring("whsec_".length()));
            } catch (IllegalArgumentException notBase64) {
                // fall through: the secret as it is
            }
        }
        return secret.getBytes(StandardCharsets.UTF_8);
    }
}
