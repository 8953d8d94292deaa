package dev.countersign.common;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.erdtman.jcs.JsonCanonicalizer;

/** RFC 8785 (JCS) canonical JSON: the same value always hashes to the same bytes, whatever its key order or spacing. */
public final class CanonicalJson {

    private CanonicalJson() {
    }

    public static String canonicalize(String json) {
        try {
            return new JsonCanonicalizer(json).getEncodedString();
        } catch (IOException e) {
            throw new IllegalArgumentException("not canonicalizable JSON: " + e.getMessage(), e);
        }
    }

    public static String sha256(String json) {
        return Sha256.hex(canonicalize(json).getBytes(StandardCharsets.UTF_8));
    }
}
