// A real MCP client on the official TypeScript SDK, for the gateway's tests and the README demo.
//   node client.mjs <url> <token> list
//   node client.mjs <url> <token> call <tool> '<arguments as JSON>'
// Prints one JSON line: {"tools":[...]} or {"result":{...},"progress":["..."]}; an error: {"error":"..."}.
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";

const [url, token, command, tool, args] = process.argv.slice(2);
const transport = new StreamableHTTPClientTransport(new URL(url), {
  requestInit: { headers: { Authorization: `Bearer ${token}` } },
});
const client = new Client({ name: "countersign-test-client", version: "1.0.0" });
const progress = [];
try {
  await client.connect(transport);
  if (command === "list") {
    const { tools } = await client.listTools();
    console.log(JSON.stringify({ tools }));
  } else {
    // MCP_TIMEOUT_MS: give up as the SDK does by default (a fixed timeout that progress does not reset; on timeout the
    // SDK sends notifications/cancelled), only sooner.
    const timeout = process.env.MCP_TIMEOUT_MS
      ? { timeout: Number(process.env.MCP_TIMEOUT_MS) }
      : { timeout: 120_000, resetTimeoutOnProgress: true };
    const result = await client.callTool({ name: tool, arguments: JSON.parse(args ?? "{}") }, undefined, {
      onprogress: (p) => { progress.push(p.message); console.error(`progress: ${p.message}`); },
      ...timeout,
    });
    console.log(JSON.stringify({ result, progress }));
  }
} catch (e) {
  console.log(JSON.stringify({ error: String(e?.message ?? e), progress }));
  // A client that lives on (an agent's) sends the notifications/cancelled of a timed-out call; this one exits next, so it
  // gives that message a moment to leave before closing the connection.
  await new Promise((resolve) => setTimeout(resolve, 1000));
} finally {
  await client.close();
}
