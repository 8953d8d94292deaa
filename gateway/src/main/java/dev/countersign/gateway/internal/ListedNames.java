package dev.countersign.gateway.internal;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.regex.Pattern;

/**
 * The name a gateway tool is listed under to agents: one every model API accepts. OpenAI's function
 * names (and the many APIs that copy them) must match {@code ^[a-zA-Z0-9_-]{1,64}$}, and many MCP
 * clients hand MCP tool names to the model unchanged, so {@code fs.write_file} would fail every model
 * call of such an agent. The catalog and policy keep the dotted name ({@code fs.write_file}); agents
 * see {@code fs__write_file}.
 *
 * <p>Stable: the same server and tool always give the same name, whatever else is listed. A name that
 * needs a character replaced or is longer than 64 ends in eight hex digits of the dotted name's SHA-256,
 * so that {@code fs.a.b} and {@code fs.a_b} never meet.
 */
final class ListedNames {

    static final Pattern MODEL_SAFE = Pattern.compile("[a-zA-Z0-9_-]{1,64}");
    private static final int MAX = 64;
    private static final int HASHED = 9; // "_" + 8 hex digits

    private ListedNames() {
    }

    /** {@code fs__write_file} for the upstream {@code fs}'s {@code write_file}, with the separator {@code __}. */
    static String of(String server, String upstreamTool, String separator) {
        String plain = server + separator + upstreamTool;
        if (MODEL_SAFE.matcher(plain).matches()) {
            return plain;
        }
        String safe = plain.replaceAll("[^a-zA-Z0-9_-]", "_");
        String kept = safe.length() > MAX - HASHED ? safe.substring(0, MAX - HASHED) : safe;
        return kept + "_" + hash8(ToolRoutes.catalogName(server, upstreamTool));
    }

    private static String hash8(String name) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(name.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 4);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
