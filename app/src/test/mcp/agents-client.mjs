// The OpenAI Agents SDK (JS) on the gateway, as an agent developer wires it: MCPServerStreamableHttp with its defaults,
// and a scripted model in place of OpenAI's API that checks function names exactly as the API does (a name outside
// ^[a-zA-Z0-9_-]{1,64}$ fails the whole model call with a 400, the way it breaks agents on MCP servers with dotted names).
//   node agents-client.mjs <url> <token> <tool> '<arguments as JSON>'
// Prints one JSON line: {"functions":[...],"toolOutput":...,"final":"..."} or {"error":"...","functions":[...]}.
import { Agent, MCPServerStreamableHttp, Usage, run, setTracingDisabled } from "@openai/agents";

const OPENAI_FUNCTION_NAME = /^[a-zA-Z0-9_-]{1,64}$/;
const [url, token, tool, args] = process.argv.slice(2);
let functions = [];

class ScriptedModel {
  turn = 0;

  async getResponse(request) {
    functions = request.tools.filter((t) => t.type === "function").map((t) => t.name);
    const bad = functions.find((name) => !OPENAI_FUNCTION_NAME.test(name));
    if (bad !== undefined) {
      throw new Error(`400 Invalid 'tools[${functions.indexOf(bad)}].function.name': string does not match pattern. `
        + `Expected a string that matches the pattern '^[a-zA-Z0-9_-]+$'. (${bad})`);
    }
    this.turn += 1;
    if (this.turn === 1) {
      return { usage: new Usage(), output: [
        { type: "function_call", callId: "call_1", name: tool, arguments: args ?? "{}", status: "completed" }] };
    }
    const result = request.input.findLast((item) => item.type === "function_call_result");
    const text = typeof result?.output === "string" ? result.output : JSON.stringify(result?.output);
    return { usage: new Usage(), output: [
      { type: "message", role: "assistant", status: "completed", content: [{ type: "output_text", text: text ?? "" }] }] };
  }

  async *getStreamedResponse() {
    throw new Error("this scripted model answers only non-streamed requests");
  }
}

setTracingDisabled(true);
const server = new MCPServerStreamableHttp({ url, name: "countersign",
  requestInit: { headers: { Authorization: `Bearer ${token}` } } });
try {
  await server.connect();
  const agent = new Agent({ name: "agent", instructions: "Use the tools.", model: new ScriptedModel(), mcpServers: [server] });
  const result = await run(agent, `call ${tool}`, { maxTurns: 3 });
  console.log(JSON.stringify({ functions, final: result.finalOutput }));
} catch (e) {
  console.log(JSON.stringify({ error: String(e?.message ?? e), functions }));
} finally {
  await server.close();
}
