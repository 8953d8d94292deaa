package dev.countersign.grants.internal;

import com.nimbusds.jose.util.Base64URL;
import java.math.BigInteger;
import java.util.Arrays;

/**
 * ECDSA signatures have two valid forms, (r, s) and (r, n − s). Grants carry only the low-S one:
 * issued in it, and refused in the other at redemption, so a grant has exactly one spelling (a
 * log, cache or deny-list keyed by the token cannot be dodged by flipping s).
 */
final class CanonicalSignature {

    /** The order n of P-256, the curve of ES256. */
    private static final BigInteger ORDER = new BigInteger("FFFFFFFF00000000FFFFFFFFFFFFFFFFBCE6FAADA7179E84F3B9CAC2FC632551", 16);
    private static final BigInteger HALF = ORDER.shiftRight(1);
    private static final int PART = 32;

    private CanonicalSignature() {
    }

    /** The compact JWS with its signature in low-S form. */
    static String normalised(String compact) {
        int dot = compact.lastIndexOf('.');
        byte[] signature = Base64URL.from(compact.substring(dot + 1)).decode();
        if (signature.length != 2 * PART || isLow(signature)) {
            return compact;
        }
        return compact.substring(0, dot + 1) + Base64URL.encode(twin(signature));
    }

    /** The other valid signature of the same message: (r, n − s). */
    static byte[] twin(byte[] signature) {
        byte[] twin = Arrays.copyOf(signature, 2 * PART);
        byte[] s = ORDER.subtract(new BigInteger(1, Arrays.copyOfRange(signature, PART, 2 * PART))).toByteArray();
        // Left-pad (or strip BigInteger's sign byte) to exactly 32 bytes.
        Arrays.fill(twin, PART, 2 * PART, (byte) 0);
        int from = Math.max(0, s.length - PART);
        System.arraycopy(s, from, twin, 2 * PART - (s.length - from), s.length - from);
        return twin;
    }

    /** Whether a JWS signature (r ‖ s, 64 bytes for ES256) has s ≤ n/2. */
    static boolean isLow(byte[] signature) {
        return signature.length == 2 * PART && new BigInteger(1, Arrays.copyOfRange(signature, PART, 2 * PART)).compareTo(HALF) <= 0;
    }
}
