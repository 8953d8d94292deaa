// An upstream MCP server (stdio, official TypeScript SDK) for the gateway's failure tests:
// echo answers; die exits the process in the middle of its call; grow adds a tool (tools/list_changed).
import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { StdioServerTransport } from "@modelcontextprotocol/sdk/server/stdio.js";
import { z } from "zod";

const server = new McpServer({ name: "flaky", version: "1.0.0" });
server.registerTool("echo", {
  description: "Answers with its text",
  inputSchema: { text: z.string() },
  annotations: { readOnlyHint: true },
}, async ({ text }) => ({ content: [{ type: "text", text: `echo: ${text}` }] }));
server.registerTool("die", {
  description: "Exits the server process in the middle of the call",
  inputSchema: { why: z.string() },
  annotations: { destructiveHint: true },
}, async () => {
  setTimeout(() => process.exit(3), 100);
  return new Promise(() => {});
});
server.registerTool("grow", {
  description: "Adds the tool grown_<n>",
  inputSchema: { n: z.number().int() },
  annotations: { readOnlyHint: true },
}, async ({ n }) => {
  server.registerTool(`grown_${n}`, { description: `Grown ${n}`, annotations: { readOnlyHint: true } },
    async () => ({ content: [{ type: "text", text: `grown ${n}` }] }));
  return { content: [{ type: "text", text: `grew grown_${n}` }] };
});
await server.connect(new StdioServerTransport());
