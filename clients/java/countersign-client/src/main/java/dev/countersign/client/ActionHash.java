package dev.countersign.client;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import org.erdtman.jcs.JsonCanonicalizer;

/**
 * {@code sha256:} + hex SHA-256 of the RFC 8785 canonical JSON of {@code {tool, arguments}}: what Countersign binds a
 * grant to. The process that runs the tool computes it from the arguments it is about to run, so a grant for other
 * arguments is refused at redemption.
 */
public final class ActionHash {

    private ActionHash() {
    }

    public static String of(String tool, Map<String, Object> arguments) {
        try {
            String json = Json.MAPPER.writeValueAsString(Map.of("tool", tool, "arguments", arguments));
            return "sha256:" + sha256Hex(new JsonCanonicalizer(json).getEncodedString());
        } catch (java.io.IOException e) {
            throw new IllegalArgumentException("The arguments are not JSON that RFC 8785 can canonicalize: " + e.getMessage(), e);
        }
    }

    static String sha256Hex(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
