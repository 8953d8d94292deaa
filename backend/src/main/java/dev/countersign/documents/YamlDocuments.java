package dev.countersign.documents;

import dev.countersign.common.Sha256;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import org.springframework.core.io.ResourceLoader;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.dataformat.yaml.YAMLMapper;

/**
 * How admins' YAML files (the policy, the tool catalog) are read: from a Spring resource, strictly
 * (an unknown key is a mistake, not something to ignore), and named by a hash of their text, which
 * every decision records.
 */
public final class YamlDocuments {

    private static final YAMLMapper YAML = YAMLMapper.builder().enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES).build();

    /** A document's text and its version ({@code sha256:} and 16 hex digits of its hash). */
    public record Source(String text, String version) {
    }

    private YamlDocuments() {
    }

    /** A text as a document: its version is the hash of exactly this text. */
    public static Source of(String text) {
        return new Source(text, "sha256:" + Sha256.hex(text).substring(0, 16));
    }

    /** @param what how people call the document ("Policy"), @param property the property that moves it */
    public static Source load(ResourceLoader resources, String location, String what, String property) {
        var resource = resources.getResource(location);
        if (!resource.exists()) {
            throw new IllegalStateException(what + " not found at " + location + " (set " + property + " to a classpath: or file: location)");
        }
        try {
            return of(resource.getContentAsString(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(what + " at " + location + " cannot be read", e);
        }
    }

    public static <T> T read(String yaml, Class<T> type, String what, String location) {
        try {
            return YAML.readValue(yaml, type);
        } catch (JacksonException e) {
            throw new IllegalStateException(what + " " + location + " is not valid: " + e.getOriginalMessage(), e);
        }
    }
}
