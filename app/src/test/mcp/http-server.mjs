// An upstream MCP server over Streamable HTTP (official TypeScript SDK, stateful sessions) for the gateway's tests:
// it answers only requests carrying the header the gateway is configured with. Prints "listening <port>".
import { createServer } from "node:http";
import { randomUUID } from "node:crypto";
import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { StreamableHTTPServerTransport } from "@modelcontextprotocol/sdk/server/streamableHttp.js";
import { z } from "zod";

const key = process.argv[2] ?? "";
const sessions = new Map();

function newServer() {
  const server = new McpServer({ name: "web", version: "1.0.0" });
  server.registerTool("shout", {
    description: "Answers with its text in capitals",
    inputSchema: { text: z.string() },
    annotations: { readOnlyHint: true },
  }, async ({ text }) => ({ content: [{ type: "text", text: text.toUpperCase() }] }));
  return server;
}

const http = createServer(async (req, res) => {
  if (req.headers["x-upstream-key"] !== key) {
    res.writeHead(401).end("missing or wrong X-Upstream-Key");
    return;
  }
  const id = req.headers["mcp-session-id"];
  let transport = id ? sessions.get(id) : undefined;
  if (!transport) {
    transport = new StreamableHTTPServerTransport({
      sessionIdGenerator: () => randomUUID(),
      onsessioninitialized: (sessionId) => sessions.set(sessionId, transport),
    });
    await newServer().connect(transport);
  }
  await transport.handleRequest(req, res);
});
http.listen(0, "127.0.0.1", () => console.log(`listening ${http.address().port}`));
