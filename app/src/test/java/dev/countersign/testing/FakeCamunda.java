package dev.countersign.testing;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A local stand-in for a Camunda 8 cluster's REST API (v2) on loopback: it answers the endpoints
 * the Java client uses — topology, deployments, process instance creation, job activation,
 * completion and failure, message publication — the way Camunda documents them, and records
 * every call. It is not a BPMN engine: jobs are handed out only when a test {@link #offerJob
 * offers} one, and timers never fire.
 */
public final class FakeCamunda implements AutoCloseable {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    /** One call as received: method, path and JSON body (multipart bodies as raw text). */
    public record Call(String method, String path, String body) {

        public JsonNode json() {
            return JSON.readTree(body);
        }
    }

    private record OfferedJob(long key, String type, String requestId, int retries) {
    }

    private final HttpServer server;
    private final List<Call> calls = new CopyOnWriteArrayList<>();
    private final Map<String, ConcurrentLinkedQueue<OfferedJob>> jobs = new ConcurrentHashMap<>();
    private final AtomicLong keys = new AtomicLong(2251799813685249L);
    private volatile String requiredToken;

    public FakeCamunda() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", this::handle);
        server.setExecutor(java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor());
        server.start();
    }

    public String restAddress() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** From now on, answer 401 unless the call carries this bearer token (as a cluster with authentication does). */
    public void requireToken(String token) {
        this.requiredToken = token;
    }

    /** Hands out a job of this type for the request at the next activation (as the broker would when a process reaches the task). */
    public long offerJob(String type, String requestId) {
        long key = keys.incrementAndGet();
        jobs.computeIfAbsent(type, t -> new ConcurrentLinkedQueue<>()).add(new OfferedJob(key, type, requestId, 5));
        return key;
    }

    public List<Call> calls() {
        return List.copyOf(calls);
    }

    public List<Call> calls(String method, String pathPrefix) {
        return calls.stream().filter(c -> c.method().equals(method) && c.path().startsWith(pathPrefix)).toList();
    }

    public List<Call> calls(String method, String pathPrefix, Predicate<Call> filter) {
        return calls(method, pathPrefix).stream().filter(filter).toList();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String method = exchange.getRequestMethod();
            String path = exchange.getRequestURI().getPath();
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            String auth = exchange.getRequestHeaders().getFirst("Authorization");
            if (requiredToken != null && !("Bearer " + requiredToken).equals(auth)) {
                problem(exchange, 401, "Unauthorized", "The request is not authenticated");
                return;
            }
            if (!path.equals("/v2/jobs/activation")) {
                calls.add(new Call(method, path, body));
            }
            if (method.equals("GET") && path.equals("/v2/topology")) {
                json(exchange, 200, Map.of("brokers", List.of(Map.of("nodeId", 0, "host", "fake-broker", "port", 26501, "version", "8.9.0",
                                "partitions", List.of(Map.of("partitionId", 1, "role", "leader", "health", "healthy")))),
                        "clusterSize", 1, "partitionsCount", 1, "replicationFactor", 1, "gatewayVersion", "8.9.0"));
            } else if (method.equals("POST") && path.equals("/v2/deployments")) {
                deploy(exchange, body);
            } else if (method.equals("POST") && path.equals("/v2/process-instances")) {
                JsonNode request = JSON.readTree(body);
                json(exchange, 200, Map.of("processDefinitionId", request.path("processDefinitionId").asString(), "processDefinitionVersion", 1,
                        "tenantId", "<default>", "variables", Map.of(), "processDefinitionKey", "2251799813685250",
                        "processInstanceKey", Long.toString(keys.incrementAndGet())));
            } else if (method.equals("POST") && path.equals("/v2/jobs/activation")) {
                activate(exchange, JSON.readTree(body));
            } else if (method.equals("POST") && path.matches("/v2/jobs/\\d+/(completion|failure)")) {
                exchange.sendResponseHeaders(204, -1);
            } else if (method.equals("POST") && path.equals("/v2/messages/publication")) {
                json(exchange, 200, Map.of("tenantId", "<default>", "messageKey", Long.toString(keys.incrementAndGet())));
            } else {
                problem(exchange, 404, "Not Found", "The fake does not answer " + method + " " + path);
            }
        }
    }

    private void deploy(HttpExchange exchange, String multipart) throws IOException {
        List<Map<String, Object>> deployed = new ArrayList<>();
        var matcher = java.util.regex.Pattern.compile("<bpmn:process id=\"([^\"]+)\"").matcher(multipart);
        while (matcher.find()) {
            deployed.add(Map.of("processDefinition", Map.of("processDefinitionId", matcher.group(1), "processDefinitionVersion", 1,
                    "resourceName", matcher.group(1) + ".bpmn", "tenantId", "<default>", "processDefinitionKey", "2251799813685250")));
        }
        json(exchange, 200, Map.of("deploymentKey", Long.toString(keys.incrementAndGet()), "tenantId", "<default>", "deployments", deployed));
    }

    private void activate(HttpExchange exchange, JsonNode request) throws IOException {
        String type = request.path("type").asString();
        int max = request.path("maxJobsToActivate").asInt(32);
        var queue = jobs.getOrDefault(type, new ConcurrentLinkedQueue<>());
        List<Map<String, Object>> activated = new ArrayList<>();
        OfferedJob job;
        while (activated.size() < max && (job = queue.poll()) != null) {
            calls.add(new Call("POST", "/v2/jobs/activation", request.toString()));
            activated.add(Map.ofEntries(Map.entry("type", job.type()), Map.entry("processDefinitionId", "guarded-action"),
                    Map.entry("processDefinitionVersion", 1), Map.entry("elementId", job.type().substring("countersign.".length())),
                    Map.entry("customHeaders", Map.of()), Map.entry("worker", request.path("worker").asString()),
                    Map.entry("retries", job.retries()), Map.entry("deadline", System.currentTimeMillis() + 30_000),
                    Map.entry("variables", Map.of("requestId", job.requestId())), Map.entry("tenantId", "<default>"),
                    Map.entry("jobKey", Long.toString(job.key())), Map.entry("processInstanceKey", "2251799813685300"),
                    Map.entry("processDefinitionKey", "2251799813685250"), Map.entry("elementInstanceKey", "2251799813685301"),
                    Map.entry("kind", "BPMN_ELEMENT"), Map.entry("listenerEventType", "UNSPECIFIED")));
        }
        json(exchange, 200, Map.of("jobs", activated));
    }

    private static void problem(HttpExchange exchange, int status, String title, String detail) throws IOException {
        LoopbackHttp.send(exchange, status, "application/problem+json",
                JSON.writeValueAsBytes(Map.of("type", "about:blank", "title", title, "status", status, "detail", detail)), Map.of());
    }

    private static void json(HttpExchange exchange, int status, Object body) throws IOException {
        LoopbackHttp.json(exchange, status, body);
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
