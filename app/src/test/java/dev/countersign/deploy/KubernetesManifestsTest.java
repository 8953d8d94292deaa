package dev.countersign.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.context.annotation.ClassPathScanningCandidateComponentProvider;
import org.springframework.core.io.support.PathMatchingResourcePatternResolver;
import org.springframework.core.type.filter.AnnotationTypeFilter;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.dataformat.yaml.YAMLMapper;

/**
 * deploy/kubernetes against the application (no cluster here: docs/operations.md, "Kubernetes"): every manifest parses;
 * ports, probe paths and the metrics path are the application's; selectors select what they mean to; the user is the
 * image's; every setting in the ConfigMap's application.yaml and every environment variable names a property the
 * application reads; the dashboard and alert rules query only metrics docs/operations.md documents.
 */
class KubernetesManifestsTest {

    private static final Path DEPLOY = Path.of("../deploy/kubernetes");
    private static final YAMLMapper YAML = YAMLMapper.builder().build();

    private static Map<String, JsonNode> byKind;
    private static JsonNode application;

    @BeforeAll
    static void read() throws IOException {
        byKind = new HashMap<>();
        List<Path> manifests;
        try (Stream<Path> files = Files.list(DEPLOY)) {
            manifests = files.filter(file -> file.toString().endsWith(".yaml")).sorted().toList();
        }
        assertThat(manifests).extracting(file -> file.getFileName().toString()).contains("kustomization.yaml", "deployment.yaml",
                "service.yaml", "pod-disruption-budget.yaml", "service-monitor.yaml", "prometheus-rule.yaml", "secrets.example.yaml");
        for (Path manifest : manifests) {
            for (JsonNode document : YAML.readValues(YAML.createParser(manifest.toFile()), JsonNode.class).readAll()) {
                assertThat(document.path("apiVersion").asString()).as(manifest + " apiVersion").isNotBlank();
                String kind = document.path("kind").asString();
                assertThat(kind).as(manifest + " kind").isNotBlank();
                if (!kind.equals("Secret") && !kind.equals("Kustomization")) {
                    assertThat(document.at("/metadata/name").asString()).as(manifest + " name").isEqualTo("countersign");
                }
                byKind.putIfAbsent(kind, document);
            }
        }
        application = YAML.readTree(Path.of("src/main/resources/application.yaml").toFile());
    }

    private static JsonNode container() {
        return byKind.get("Deployment").at("/spec/template/spec/containers/0");
    }

    @Test
    void kustomizationNamesFilesThatExist() {
        JsonNode kustomization = byKind.get("Kustomization");
        kustomization.get("resources").forEach(resource -> assertThat(DEPLOY.resolve(resource.asString())).exists());
        kustomization.get("configMapGenerator").forEach(generator -> generator.get("files").forEach(file -> {
            String path = file.asString().contains("=") ? file.asString().substring(file.asString().indexOf('=') + 1) : file.asString();
            assertThat(DEPLOY.resolve(path)).exists();
        }));
    }

    @Test
    void portsAndProbesAreTheApplications() {
        JsonNode port = container().at("/ports/0");
        assertThat(port.get("containerPort").asInt()).isEqualTo(application.at("/server/port").asInt());
        String portName = port.get("name").asString();
        assertThat(application.at("/management/endpoint/health/probes/enabled").asBoolean()).isTrue();
        assertThat(container().at("/readinessProbe/httpGet/path").asString()).isEqualTo("/actuator/health/readiness");
        assertThat(container().at("/livenessProbe/httpGet/path").asString()).isEqualTo("/actuator/health/liveness");
        assertThat(container().at("/startupProbe/httpGet/path").asString()).isEqualTo("/actuator/health/liveness");
        Stream.of("readinessProbe", "livenessProbe", "startupProbe")
                .forEach(probe -> assertThat(container().at("/" + probe + "/httpGet/port").asString()).isEqualTo(portName));
        // The readiness group is what the probe reads: it exists and holds the database.
        assertThat(application.at("/management/endpoint/health/group/readiness/include").asString()).contains("database");

        JsonNode service = byKind.get("Service");
        assertThat(service.at("/spec/ports/0/targetPort").asString()).isEqualTo(portName);
        JsonNode monitor = byKind.get("ServiceMonitor").at("/spec/endpoints/0");
        assertThat(monitor.get("port").asString()).isEqualTo(service.at("/spec/ports/0/name").asString());
        assertThat(monitor.get("path").asString()).isEqualTo("/actuator/prometheus");
        assertThat(application.at("/management/endpoints/web/exposure/include").asString()).contains("prometheus");
    }

    @Test
    void selectorsSelectTheApplicationsPods() {
        JsonNode podLabels = byKind.get("Deployment").at("/spec/template/metadata/labels");
        assertThat(byKind.get("Deployment").at("/spec/selector/matchLabels")).isEqualTo(podLabels);
        assertThat(byKind.get("Service").at("/spec/selector")).isEqualTo(podLabels);
        assertThat(byKind.get("PodDisruptionBudget").at("/spec/selector/matchLabels")).isEqualTo(podLabels);
        assertThat(byKind.get("ServiceMonitor").at("/spec/selector/matchLabels")).isEqualTo(byKind.get("Service").at("/metadata/labels"));
        assertThat(byKind.get("PodDisruptionBudget").at("/spec/minAvailable").asInt())
                .isLessThan(byKind.get("Deployment").at("/spec/replicas").asInt());
    }

    @Test
    void theContainerRunsAsTheImagesUserOnAReadOnlyFilesystem() throws IOException {
        Matcher user = Pattern.compile("<user>(\\d+):(\\d+)</user>").matcher(Files.readString(Path.of("pom.xml")));
        assertThat(user.find()).as("the image's user in app/pom.xml (Jib)").isTrue();
        JsonNode pod = byKind.get("Deployment").at("/spec/template/spec");
        assertThat(pod.at("/securityContext/runAsNonRoot").asBoolean()).isTrue();
        assertThat(pod.at("/securityContext/runAsUser").asString()).isEqualTo(user.group(1));
        assertThat(container().at("/securityContext/readOnlyRootFilesystem").asBoolean()).isTrue();
        assertThat(container().at("/securityContext/allowPrivilegeEscalation").asBoolean()).isFalse();
        // The image's working directory (/tmp: the embedded demo's data) is writable: an emptyDir.
        assertThat(Files.readString(Path.of("pom.xml"))).contains("<workingDirectory>/tmp</workingDirectory>");
        assertThat(mountOf("/tmp")).isNotNull();
        assertThat(pod.get("volumes").valueStream().filter(volume -> volume.get("name").asString().equals(mountOf("/tmp")))
                .findFirst().orElseThrow().has("emptyDir")).isTrue();
    }

    @Test
    void theConfigMapIsMountedWhereTheApplicationReadsIt() {
        String folder = "/etc/countersign";
        String volume = mountOf(folder);
        assertThat(volume).isNotNull();
        JsonNode mounted = byKind.get("Deployment").at("/spec/template/spec/volumes").valueStream()
                .filter(v -> v.get("name").asString().equals(volume)).findFirst().orElseThrow();
        String configMap = mounted.at("/configMap/name").asString();
        JsonNode generated = byKind.get("Kustomization").get("configMapGenerator").valueStream()
                .filter(generator -> generator.get("name").asString().equals(configMap)).findFirst().orElseThrow();
        List<String> keys = generated.get("files").valueStream().map(file -> file.asString().split("=")[0]).toList();
        assertThat(keys).containsExactlyInAnyOrder("application.yaml", "policy.yaml", "catalog.yaml");
        assertThat(env().get("SPRING_CONFIG_ADDITIONALLOCATION")).isEqualTo("optional:file:" + folder + "/");
        JsonNode settings = settings();
        assertThat(settings.at("/countersign/policy/location").asString()).isEqualTo("file:" + folder + "/policy.yaml");
        assertThat(settings.at("/countersign/catalog/location").asString()).isEqualTo("file:" + folder + "/catalog.yaml");
    }

    /** The policy and catalog shipped are the demo's, which the demo's own tests keep valid; edit them from there. */
    @Test
    void thePolicyAndCatalogAreTheDemosOnes() throws IOException {
        assertThat(Files.readString(DEPLOY.resolve("config/policy.yaml")))
                .isEqualTo(Files.readString(Path.of("src/main/resources/policy/demo-policy.yaml")));
        assertThat(Files.readString(DEPLOY.resolve("config/catalog.yaml")))
                .isEqualTo(Files.readString(Path.of("src/main/resources/catalog/demo-catalog.yaml")));
    }

    @Test
    void everySettingNamesAPropertyTheApplicationReads() throws Exception {
        List<String> unknown = new ArrayList<>();
        Map<String, Class<?>> bound = configurationProperties();
        assertThat(bound).containsKeys("countersign.identity", "countersign.console.oidc", "countersign.slack");
        Set<String> boot = bootProperties();
        assertThat(boot).contains("spring.datasource.url", "server.forward-headers-strategy", "logging.structured.format.console");
        walk(settings(), "", bound, boot, unknown);
        assertThat(unknown).as("settings in config/application.yaml the application does not read").isEmpty();

        Set<String> placeholders = placeholders();
        assertThat(placeholders).contains("COUNTERSIGN_DB_USER", "COUNTERSIGN_DB_PASSWORD", "SLACK_BOT_TOKEN", "SLACK_SIGNING_SECRET");
        for (String name : env().keySet()) {
            String property = name.toLowerCase().replace('_', '.');
            boolean known = placeholders.contains(name) || boot.stream().anyMatch(key -> key.replace("-", "").equals(property))
                    || knownByRecords(property, bound);
            if (!known) {
                unknown.add(name);
            }
        }
        assertThat(unknown).as("environment variables the application does not read").isEmpty();
    }

    @Test
    void theDashboardAndAlertsQueryOnlyDocumentedMetrics() throws IOException {
        Set<String> documented = new TreeSet<>();
        Matcher row = Pattern.compile("^\\| `(countersign_[a-z_]+)`", Pattern.MULTILINE).matcher(Files.readString(Path.of("../docs/operations.md")));
        while (row.find()) {
            documented.add(row.group(1));
        }
        assertThat(documented).contains("countersign_requests_asked_total", "countersign_requests_pending",
                "countersign_requests_decision_seconds", "countersign_gateway_calls_total");
        Set<String> queried = new TreeSet<>();
        for (Path file : List.of(DEPLOY.resolve("grafana/countersign-dashboard.json"), DEPLOY.resolve("prometheus-rule.yaml"))) {
            Matcher metric = Pattern.compile("countersign_[a-z_]+").matcher(Files.readString(file));
            while (metric.find()) {
                queried.add(metric.group().replaceAll("_(bucket|count|sum)$", ""));
            }
        }
        assertThat(queried).hasSizeGreaterThan(10);
        assertThat(documented).containsAll(queried);
        JsonNode dashboard = JsonMapper.shared().readTree(DEPLOY.resolve("grafana/countersign-dashboard.json").toFile());
        assertThat(dashboard.get("panels")).allSatisfy(panel -> assertThat(panel.at("/targets/0/expr").asString()).contains("countersign_"));
    }

    private static String mountOf(String path) {
        return container().get("volumeMounts").valueStream().filter(mount -> mount.get("mountPath").asString().equals(path))
                .map(mount -> mount.get("name").asString()).findFirst().orElse(null);
    }

    private static Map<String, String> env() {
        Map<String, String> env = new java.util.LinkedHashMap<>();
        container().get("env").forEach(variable -> env.put(variable.get("name").asString(), variable.path("value").asString(null)));
        return env;
    }

    private static JsonNode settings() {
        return YAML.readTree(DEPLOY.resolve("config/application.yaml").toFile());
    }

    /** {@code ${NAME:…}} placeholders of the application's own configuration files: environment variables it reads. */
    private static Set<String> placeholders() throws IOException {
        Set<String> names = new TreeSet<>();
        try (Stream<Path> files = Files.list(Path.of("src/main/resources"))) {
            for (Path file : files.filter(f -> f.getFileName().toString().startsWith("application")).toList()) {
                Matcher placeholder = Pattern.compile("\\$\\{([A-Z][A-Z0-9_]+)[:}]").matcher(Files.readString(file));
                while (placeholder.find()) {
                    names.add(placeholder.group(1));
                }
            }
        }
        return names;
    }

    /** Spring Boot's own properties, from its modules' configuration metadata, and the application's keys. */
    private static Set<String> bootProperties() throws IOException {
        Set<String> names = new TreeSet<>();
        for (var resource : new PathMatchingResourcePatternResolver().getResources("classpath*:META-INF/spring-configuration-metadata.json")) {
            try (var in = resource.getInputStream()) {
                JsonMapper.shared().readTree(in).path("properties").forEach(property -> names.add(property.get("name").asString()));
            }
        }
        names.add("spring.profiles.active");
        names.add("spring.config.additional-location");
        return names;
    }

    /** The application's {@code @ConfigurationProperties} records, by prefix. */
    private static Map<String, Class<?>> configurationProperties() throws ClassNotFoundException {
        var scanner = new ClassPathScanningCandidateComponentProvider(false);
        scanner.addIncludeFilter(new AnnotationTypeFilter(ConfigurationProperties.class));
        Map<String, Class<?>> bound = new HashMap<>();
        for (var candidate : scanner.findCandidateComponents("dev.countersign")) {
            Class<?> type = Class.forName(candidate.getBeanClassName());
            ConfigurationProperties annotation = type.getAnnotation(ConfigurationProperties.class);
            bound.put(annotation.value().isEmpty() ? annotation.prefix() : annotation.value(), type);
        }
        return bound;
    }

    /** Walks a settings tree: under a record's prefix by its components, elsewhere by Boot's and the application's keys. */
    private static void walk(JsonNode node, String path, Map<String, Class<?>> bound, Set<String> boot, List<String> unknown) {
        if (bound.containsKey(path)) {
            checkAgainst(node, bound.get(path), path, unknown);
            return;
        }
        if (!node.isObject()) {
            if (!boot.contains(path) && application.at("/" + path.replace('.', '/')).isMissingNode()) {
                unknown.add(path);
            }
            return;
        }
        node.properties().forEach(entry -> walk(entry.getValue(), path.isEmpty() ? entry.getKey() : path + "." + entry.getKey(), bound,
                boot, unknown));
    }

    private static void checkAgainst(JsonNode node, Type type, String path, List<String> unknown) {
        Class<?> raw = type instanceof ParameterizedType parameterized ? (Class<?>) parameterized.getRawType() : (Class<?>) type;
        if (List.class.isAssignableFrom(raw) && node.isArray()) {
            Type element = ((ParameterizedType) type).getActualTypeArguments()[0];
            node.forEach(item -> checkAgainst(item, element, path + "[]", unknown));
            return;
        }
        if (!raw.isRecord() || !node.isObject()) {
            return;
        }
        node.properties().forEach(entry -> {
            RecordComponent component = componentNamed(raw, entry.getKey());
            if (component == null) {
                unknown.add(path + "." + entry.getKey());
            } else {
                checkAgainst(entry.getValue(), component.getGenericType(), path + "." + entry.getKey(), unknown);
            }
        });
    }

    private static RecordComponent componentNamed(Class<?> record, String key) {
        String wanted = key.replace("-", "").toLowerCase();
        return Stream.of(record.getRecordComponents()).filter(component -> component.getName().toLowerCase().equals(wanted))
                .findFirst().orElse(null);
    }

    /** An environment variable's property (relaxed: no dashes, dots for underscores) under a record's prefix. */
    private static boolean knownByRecords(String property, Map<String, Class<?>> bound) {
        for (var entry : bound.entrySet()) {
            String prefix = entry.getKey().replace("-", "") + ".";
            if (property.startsWith(prefix)) {
                Class<?> type = entry.getValue();
                for (String segment : property.substring(prefix.length()).split("\\.")) {
                    RecordComponent component = type == null || !type.isRecord() ? null : componentNamed(type, segment);
                    if (component == null) {
                        return false;
                    }
                    type = component.getType();
                }
                return true;
            }
        }
        return false;
    }
}
