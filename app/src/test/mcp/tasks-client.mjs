// MCP tasks (2025-11-25) from the official TypeScript SDK's client, for the gateway's tests.
//   node tasks-client.mjs <url> <token> stream <tool> '<arguments>'   callToolStream: the task's events, then its result
//   node tasks-client.mjs <url> <token> create <tool> '<arguments>'   a task-augmented tools/call: the task it opened
//   node tasks-client.mjs <url> <token> get|result|cancel <taskId>
//   node tasks-client.mjs <url> <token> list
// Prints one JSON line; an error: {"error":"..."}.
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { CallToolResultSchema, CreateTaskResultSchema } from "@modelcontextprotocol/sdk/types.js";

const [url, token, command, name, args] = process.argv.slice(2);
const transport = new StreamableHTTPClientTransport(new URL(url), {
  requestInit: { headers: { Authorization: `Bearer ${token}` } },
});
const client = new Client({ name: "countersign-tasks-client", version: "1.0.0" });
const events = [];
try {
  await client.connect(transport);
  const tasks = client.experimental.tasks;
  let answer;
  if (command === "stream") {
    await client.listTools(); // the client learns which tools take tasks (execution.taskSupport)
    for await (const event of tasks.callToolStream({ name, arguments: JSON.parse(args ?? "{}") }, CallToolResultSchema,
      { timeout: 120_000 })) {
      events.push({ type: event.type, status: event.task?.status, statusMessage: event.task?.statusMessage,
        error: event.error ? String(event.error.message) : undefined });
      if (event.type === "result") {
        answer = { events, result: event.result };
      }
    }
    answer ??= { events };
  } else if (command === "create") {
    answer = await client.request({ method: "tools/call", params: { name, arguments: JSON.parse(args ?? "{}"), task: { ttl: 600_000 } } },
      CreateTaskResultSchema);
  } else if (command === "get") {
    answer = await tasks.getTask(name);
  } else if (command === "result") {
    answer = await tasks.getTaskResult(name, CallToolResultSchema, { timeout: 120_000 });
  } else if (command === "cancel") {
    answer = await tasks.cancelTask(name);
  } else {
    answer = await tasks.listTasks();
  }
  console.log(JSON.stringify(answer));
} catch (e) {
  console.log(JSON.stringify({ error: String(e?.message ?? e), events }));
} finally {
  await client.close();
}
