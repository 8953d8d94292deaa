package dev.countersign;

import static org.assertj.core.api.Assertions.assertThat;

import dev.countersign.testing.ObservedApiStatuses;
import dev.countersign.testing.SharedCountersign;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The OpenAPI document lists every status an operation can answer: every status the whole test suite saw an API path
 * answer ({@link ObservedApiStatuses}, written while the unit and end-to-end tests ran) must be documented for that
 * operation, and nothing under /api/ may answer a success without being documented at all.
 */
class ApiStatusesIT {

    /** bench.BenchBaseline: an endpoint the benchmark adds to the application in the tests, never shipped. */
    private static final String BENCHMARK_ONLY = "/api/v1/bench/";

    @Test
    void everyStatusTheSuiteSawIsDocumentedForItsOperation() throws Exception {
        assertThat(ObservedApiStatuses.DIRECTORY).as("written by the tests of the test phase: run through ./mvnw verify").isDirectory();
        List<String> observed = new java.util.ArrayList<>();
        try (var files = Files.list(ObservedApiStatuses.DIRECTORY)) {
            for (var file : files.sorted().toList()) {
                observed.addAll(Files.readAllLines(file));
            }
        }
        Map<String, JsonNode> paths = documentedPaths();

        Set<String> undocumented = new TreeSet<>();
        Set<String> operationsSeen = new TreeSet<>();
        Set<Integer> statusesSeen = new TreeSet<>();
        for (String line : observed) {
            String[] parts = line.split(" ");
            String method = parts[0].toLowerCase();
            String path = parts[1];
            int status = Integer.parseInt(parts[2]);
            if (path.startsWith(BENCHMARK_ONLY)) {
                continue;
            }
            Optional<String> template = templateOf(paths.keySet(), path);
            if (template.isEmpty() || !paths.get(template.get()).has(method)) {
                // No such operation: a 404 or 405 for a path or method that does not exist is the API's own answer.
                if (status < 400) {
                    undocumented.add(line + " (no such operation in the document)");
                }
                continue;
            }
            operationsSeen.add(parts[0] + " " + template.get());
            statusesSeen.add(status);
            if (!paths.get(template.get()).get(method).get("responses").has(String.valueOf(status))) {
                undocumented.add(parts[0] + " " + template.get() + " answered " + status);
            }
        }

        assertThat(operationsSeen).as("the suite calls the agent's and approver's operations")
                .contains("POST /api/v1/actions", "GET /api/v1/actions/{id}", "POST /api/v1/actions/{id}/cancel",
                        "POST /api/v1/actions/{id}/votes", "GET /api/v1/approvals", "POST /api/v1/grants/redeem",
                        "POST /api/v1/policy/versions", "GET /api/v1/audit/verify");
        assertThat(statusesSeen).as("and sees refusals, not only successes").contains(200, 201, 400, 401, 403, 404, 409, 413, 422, 429);
        assertThat(undocumented).isEmpty();
    }

    static Map<String, JsonNode> documentedPaths() throws Exception {
        JsonNode document = JsonMapper.builder().build().readTree(SharedCountersign.openApiDocument());
        Map<String, JsonNode> paths = new LinkedHashMap<>();
        document.get("paths").properties().forEach(entry -> paths.put(entry.getKey(), entry.getValue()));
        return paths;
    }

    /** The document's path that names this one; a literal segment wins over a template. */
    private static Optional<String> templateOf(Set<String> templates, String path) {
        List<String> matching = new ArrayList<>();
        for (String template : templates) {
            String regex = Pattern.quote(template).replaceAll("\\{[^}]+}", "\\\\E[^/]+\\\\Q");
            if (path.matches(regex)) {
                matching.add(template);
            }
        }
        return matching.stream().min(Comparator.comparingLong(t -> t.chars().filter(c -> c == '{').count()));
    }
}
