package dev.countersign.gateway;

import dev.countersign.testing.NpmFolder;

import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.client.transport.HttpClientStreamableHttpTransport;
import io.modelcontextprotocol.spec.McpSchema;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The real MCP parts the gateway is tested with: the official filesystem server and a small
 * upstream on the official TypeScript SDK (installed from app/src/test/mcp/package-lock.json by
 * .ci/run), the TypeScript SDK's client as a process, and the MCP Java SDK's client.
 */
public final class McpPeers {

    public static final Path FOLDER = Path.of("src/test/mcp").toAbsolutePath();
    public static final Path FILESYSTEM_SERVER = FOLDER.resolve("node_modules/@modelcontextprotocol/server-filesystem/dist/index.js");
    static final Path FLAKY_SERVER = FOLDER.resolve("flaky-server.mjs");
    private static final Path CLIENT = FOLDER.resolve("client.mjs");
    private static final Path AGENTS_CLIENT = FOLDER.resolve("agents-client.mjs");
    private static final Path TASKS_CLIENT = FOLDER.resolve("tasks-client.mjs");
    private static final JsonMapper JSON = JsonMapper.shared();

    private McpPeers() {
    }

    /** Installs the pinned npm packages on first use (`.ci/run` installs them up front), so `./mvnw verify` needs only Node. */
    public static void requireInstalled() {
        NpmFolder.require(FOLDER, FILESYSTEM_SERVER, "The MCP test peers (the official filesystem server and TypeScript SDK)");
    }

    /** The Java SDK's client on {@code /mcp} with an agent's token. */
    public static McpSyncClient javaClient(int port, String token) {
        return javaClient(port, token, "countersign-java-test-client");
    }

    /** The Java SDK's client, calling itself {@code clientName} in {@code initialize}. */
    public static McpSyncClient javaClient(int port, String token, String clientName) {
        return javaClient(port, token, clientName, Duration.ofSeconds(120));
    }

    /** The Java SDK's client giving up on a request after {@code timeout}, as clients with their defaults do (20-60 s). */
    public static McpSyncClient javaClient(int port, String token, String clientName, Duration timeout) {
        var transport = HttpClientStreamableHttpTransport.builder("http://localhost:" + port)
                .endpoint("/mcp")
                .httpRequestCustomizer((builder, method, uri, body, context) -> builder.header("Authorization", "Bearer " + token))
                .build();
        McpSyncClient client = McpClient.sync(transport).requestTimeout(timeout)
                .clientInfo(new McpSchema.Implementation(clientName, "1")).build();
        client.initialize();
        return client;
    }

    /** The TypeScript SDK's client, started now; {@link TsCall#answer} waits for what it printed. */
    static TsCall tsClient(int port, String token, String... command) throws IOException {
        return tsClient(port, token, null, command);
    }

    /** The TypeScript SDK's client giving up on a call after {@code timeout} as its default timeout does, or as {@link #tsClient}. */
    static TsCall tsClient(int port, String token, Duration timeout, String... command) throws IOException {
        List<String> line = new ArrayList<>(List.of("node", CLIENT.toString(), "http://localhost:" + port + "/mcp", token));
        line.addAll(List.of(command));
        var builder = new ProcessBuilder(line).directory(FOLDER.toFile()).redirectError(ProcessBuilder.Redirect.DISCARD);
        if (timeout != null) {
            builder.environment().put("MCP_TIMEOUT_MS", Long.toString(timeout.toMillis()));
        }
        return new TsCall(builder.start());
    }

    /**
     * The OpenAI Agents SDK (JS) with its MCP integration on its defaults and a scripted model that checks function names as
     * OpenAI's API does, calling {@code tool} once; {@link TsCall#answer} has the function names it saw and the final text.
     */
    static TsCall agentsSdk(int port, String token, String tool, String arguments) throws IOException {
        Process process = new ProcessBuilder("node", AGENTS_CLIENT.toString(), "http://localhost:" + port + "/mcp", token, tool, arguments)
                .directory(FOLDER.toFile()).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        return new TsCall(process);
    }

    /** The TypeScript SDK's client using MCP tasks ({@code tasks-client.mjs}): stream, create, get, result, cancel, list. */
    static TsCall tasksClient(int port, String token, String... command) throws IOException {
        List<String> line = new ArrayList<>(List.of("node", TASKS_CLIENT.toString(), "http://localhost:" + port + "/mcp", token));
        line.addAll(List.of(command));
        return new TsCall(new ProcessBuilder(line).directory(FOLDER.toFile()).redirectError(ProcessBuilder.Redirect.DISCARD).start());
    }

    record TsCall(Process process) {

        JsonNode answer() throws Exception {
            if (!process.waitFor(120, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new AssertionError("the TypeScript client did not finish in 120 s");
            }
            String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            return JSON.readTree(out.substring(out.lastIndexOf('\n') + 1));
        }
    }

    public static String text(McpSchema.CallToolResult result) {
        return result.content().stream().filter(McpSchema.TextContent.class::isInstance).map(c -> ((McpSchema.TextContent) c).text())
                .reduce("", String::concat);
    }
}
