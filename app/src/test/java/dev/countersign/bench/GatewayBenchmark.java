package dev.countersign.bench;

import static dev.countersign.bench.Benchmark.check;
import static dev.countersign.bench.Benchmark.millis;
import static dev.countersign.bench.Benchmark.percentile;

import dev.countersign.Api;
import dev.countersign.CountersignApplication;
import dev.countersign.gateway.McpPeers;
import dev.countersign.testing.SideApplications;
import dev.countersign.testing.TestPostgres;
import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.client.transport.ServerParameters;
import io.modelcontextprotocol.client.transport.StdioClientTransport;
import io.modelcontextprotocol.json.McpJsonDefaults;
import io.modelcontextprotocol.spec.McpSchema;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The MCP gateway's cost, in an application of its own: an allowed {@code tools/call}
 * ({@code fs.read_text_file} of a small file, allowed by the demo policy) through {@code /mcp},
 * against the same call straight to the same official filesystem server over stdio, with the
 * same client (the MCP Java SDK), alternating one after the other in the same run. Beside it, an
 * MCP {@code ping} through {@code /mcp}: what HTTP, the bearer token and the SDK's server cost
 * before Countersign does anything.
 */
final class GatewayBenchmark {

    private GatewayBenchmark() {
    }

    static Benchmark.Row run(int calls) throws Exception {
        McpPeers.requireInstalled();
        Path folder = Files.createTempDirectory("countersign-bench-fs").toRealPath();
        Path file = Files.writeString(folder.resolve("small.txt"), "a small file the agent reads\n");
        ConfigurableApplicationContext app = SideApplications.run(new SpringApplicationBuilder(CountersignApplication.class)
                .profiles("postgres"), "--server.port=0",
                        "--spring.datasource.url=" + TestPostgres.newDatabase(),
                        "--spring.datasource.username=postgres",
                        "--spring.datasource.password=",
                        "--countersign.identity.built-in-issuer.token-ttl=2h",
                        // Throughput is measured past any per-agent limit (the limit itself costs one in-memory check).
                        "--countersign.identity.rate-limit.calls=100000000",
                        "--countersign.gateway.servers.fs.command=node",
                        "--countersign.gateway.servers.fs.args[0]=" + McpPeers.FILESYSTEM_SERVER,
                        "--countersign.gateway.servers.fs.args[1]=" + folder,
                        "--logging.level.root=warn");
        try (McpSyncClient direct = McpClient.sync(new StdioClientTransport(ServerParameters.builder("node")
                        .args(McpPeers.FILESYSTEM_SERVER.toString(), folder.toString()).build(), McpJsonDefaults.getMapper()))
                .requestTimeout(Duration.ofSeconds(30)).build()) {
            direct.initialize();
            int port = app.getEnvironment().getProperty("local.server.port", Integer.class);
            String token = new Api(port).token("desktop-agent", "desktop-agent-secret");
            try (McpSyncClient gateway = McpPeers.javaClient(port, token)) {
                waitForTools(gateway);
                List<Long> viaGateway = new ArrayList<>();
                List<Long> straight = new ArrayList<>();
                List<Long> pings = new ArrayList<>();
                for (int i = -Math.min(300, calls); i < calls; i++) { // the first ones warm both paths up (JIT) and are not counted
                    long start = System.nanoTime();
                    var throughGateway = gateway.callTool(new McpSchema.CallToolRequest("fs__read_text_file", Map.of("path", file.toString())));
                    long middle = System.nanoTime();
                    var toUpstream = direct.callTool(new McpSchema.CallToolRequest("read_text_file", Map.of("path", file.toString())));
                    long end = System.nanoTime();
                    check(!Boolean.TRUE.equals(throughGateway.isError()) && McpPeers.text(throughGateway).equals(McpPeers.text(toUpstream)),
                            "call " + i + " through the gateway answered as the upstream does: " + McpPeers.text(throughGateway));
                    gateway.ping();
                    long pinged = System.nanoTime();
                    if (i >= 0) {
                        pings.add(pinged - end);
                        viaGateway.add(middle - start);
                        straight.add(end - middle);
                    }
                }
                double p50 = millis(percentile(viaGateway, 50));
                double p99 = millis(percentile(viaGateway, 99));
                double baseP50 = millis(percentile(straight, 50));
                double baseP99 = millis(percentile(straight, 99));
                return new Benchmark.Row("MCP gateway (" + calls + " allowed tools/call, fs.read_text_file): through /mcp (ask, policy, "
                        + "grant, redeem, forward) vs the same client straight to the same server",
                        "p50 %.1f ms, p99 %.1f ms (added: p50 %.1f ms, p99 %.1f ms; an MCP ping over /mcp alone: p50 %.1f ms)"
                                .formatted(p50, p99, p50 - baseP50, p99 - baseP99, millis(percentile(pings, 50))),
                        "straight to the server (stdio) p50 %.1f ms, p99 %.1f ms".formatted(baseP50, baseP99),
                        "%.2f×".formatted(p50 / baseP50), "< 5 ms p50 added", p50 - baseP50 < 5);
            }
        } finally {
            app.close();
        }
    }

    private static void waitForTools(McpSyncClient gateway) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (gateway.listTools().tools().stream().noneMatch(tool -> tool.name().equals("fs__read_text_file"))) {
            check(System.nanoTime() < deadline, "the gateway connected the filesystem server within 60 s");
            Thread.sleep(200);
        }
    }
}
