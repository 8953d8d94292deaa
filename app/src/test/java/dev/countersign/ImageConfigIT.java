package dev.countersign;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The image Jib builds (docs/operations.md, "The image"): its configuration, read from the tarball the package phase
 * wrote, says what Kubernetes and the manifests rely on: a non-root user, Java with the application's main class, port
 * 8080, a writable working directory, the OCI labels. The tarball of this check is built on an empty base (CI reaches no
 * registry); everything checked here comes from the pom's configuration, which the real build shares.
 */
class ImageConfigIT {

    private static final Path TARBALL = Path.of("target/jib-image-config-check.tar");

    @Test
    void theImageRunsTheApplicationAsANonRootUserOnPort8080() throws IOException {
        Map<String, byte[]> files = read(TARBALL, "manifest.json", "config.json");
        JsonNode manifest = JsonMapper.shared().readTree(files.get("manifest.json")).get(0);
        assertThat(manifest.get("RepoTags").get(0).asString()).startsWith("countersign:");
        assertThat(manifest.get("Layers").size()).as("dependencies, resources and classes in layers of their own").isGreaterThanOrEqualTo(3);
        JsonNode config = JsonMapper.shared().readTree(files.get(manifest.get("Config").asString())).get("config");

        assertThat(config.get("User").asString()).isEqualTo("10001:10001");
        List<String> entrypoint = config.get("Entrypoint").valueStream().map(JsonNode::asString).toList();
        assertThat(entrypoint.getFirst()).isEqualTo("java");
        assertThat(entrypoint).contains("-XX:MaxRAMPercentage=75", "-XX:+ExitOnOutOfMemoryError", "-cp")
                .endsWith("dev.countersign.CountersignApplication");
        assertThat(config.get("ExposedPorts").propertyNames()).containsExactly("8080/tcp");
        assertThat(config.get("WorkingDir").asString()).isEqualTo("/tmp");
        assertThat(config.get("Labels").get("org.opencontainers.image.title").asString()).isEqualTo("Countersign");
        assertThat(config.get("Labels").get("org.opencontainers.image.version").asString()).matches("\\d+\\.\\d+\\.\\d+.*");
        assertThat(config.get("Labels").get("org.opencontainers.image.base.name").asString()).contains("eclipse-temurin:25-jre");
    }

    /** The named entries of a tarball (Jib's Docker-format tarball: manifest.json, the config, the layers). */
    private static Map<String, byte[]> read(Path tarball, String... wanted) throws IOException {
        assertThat(tarball).as("the image tarball the package phase writes (jib:buildTar, execution image-config)").exists();
        Map<String, byte[]> found = new HashMap<>();
        try (InputStream in = Files.newInputStream(tarball); var tar = new TarArchiveInputStream(in)) {
            for (TarArchiveEntry entry = tar.getNextEntry(); entry != null; entry = tar.getNextEntry()) {
                if (List.of(wanted).contains(entry.getName()) || entry.getName().endsWith(".json")) {
                    found.put(entry.getName(), tar.readAllBytes());
                }
            }
        }
        assertThat(found).containsKeys(wanted);
        return found;
    }
}
