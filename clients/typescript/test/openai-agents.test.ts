import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { test } from "node:test";
import { Agent, run, RunState, setTracingDisabled, tool, Usage, type Model, type ModelRequest, type ModelResponse } from "@openai/agents";
import { z } from "zod";
import { guardTool, resolveInterruptions, runWithCountersign } from "../src/openai-agents.js";
import { countersignFor, decideNextAsk, payment, productionDatabase } from "./support.js";

const AGENT = "openai-agents-agent";
const countersign = countersignFor(AGENT);
setTracingDisabled(true);

/** The SDK's Model interface, scripted: first call the tool, then say what the tool answered. */
class ScriptedModel implements Model {
  constructor(private readonly name: string, private readonly args: object) {}

  async getResponse(request: ModelRequest): Promise<ModelResponse> {
    const input = Array.isArray(request.input) ? request.input : [];
    const result = input.findLast((item: any) => item.type === "function_call_result") as any;
    if (result) {
      const output = result.output;
      const text = typeof output === "string" ? output : output?.text ?? JSON.stringify(output);
      return { usage: new Usage(), output: [{ type: "message", role: "assistant", status: "completed",
        content: [{ type: "output_text", text: `The tool said: ${text}` }] }] } as ModelResponse;
    }
    return { usage: new Usage(), output: [{ type: "function_call", callId: `call_${randomUUID()}`, name: this.name,
      arguments: JSON.stringify(this.args), status: "completed" }] } as ModelResponse;
  }

  getStreamedResponse(): AsyncIterable<any> {
    throw new Error("this scripted model answers only non-streamed requests");
  }
}

function agentWith(name: string, catalogTool: string, args: object, ran: string[]) {
  const plain = tool({ name, description: `test tool ${name}`, parameters: z.object({}).passthrough(),
    execute: async (input: any) => { ran.push(JSON.stringify(input)); return `${name} ran`; } });
  const guarded = guardTool(plain, { countersign, tool: catalogTool });
  return { agent: new Agent({ name: "agent", instructions: "Use the tools.", model: new ScriptedModel(name, args), tools: [guarded] }), guarded };
}

test("a tool policy allows runs without an interruption", async () => {
  const ran: string[] = [];
  const { agent } = agentWith("read_docs", "docs.read", { page: "runbook" }, ran);
  const result = await run(agent, "read");
  assert.equal(result.interruptions.length, 0);
  assert.equal(result.finalOutput, "The tool said: read_docs ran");
  assert.equal(ran.length, 1);
});

test("a payment interrupts the run, which resumes and runs it when a person approves", async () => {
  const ran: string[] = [];
  const args = payment("108.00");
  const { agent } = agentWith("transfer", "payments.transfer", args, ran);
  let result = await run(agent, "pay");
  assert.equal(result.interruptions.length, 1);
  assert.deepEqual(ran, []);

  await decideNextAsk(AGENT, "payments.transfer", "alice", "APPROVE");
  const decided = await resolveInterruptions(result.state, 30_000);
  assert.deepEqual(decided.map((r) => r.status), ["APPROVED"]);
  result = await run(agent, result.state);

  assert.equal(result.finalOutput, "The tool said: transfer ran");
  assert.deepEqual(ran.map((r) => JSON.parse(r).amount), ["108.00"]);
});

test("people's denial reaches the model as the reason, and the tool does not run", async () => {
  const ran: string[] = [];
  const { agent } = agentWith("transfer", "payments.transfer", payment("109.00"), ran);
  const finished = runWithCountersign(agent, "pay", { withinMs: 30_000 });
  await decideNextAsk(AGENT, "payments.transfer", "bob", "DENY");
  const result = await finished;
  assert.match(String(result.finalOutput), /^The tool said: Not run: Countersign DENIED/);
  assert.deepEqual(ran, []);
});

test("a policy denial runs nothing and the model reads why", async () => {
  const ran: string[] = [];
  const { agent } = agentWith("drop_table", "db.drop_table", { database: productionDatabase() }, ran);
  const result = await runWithCountersign(agent, "drop");
  assert.match(String(result.finalOutput), /^The tool said: Not run: Countersign DENIED - Agents never drop production databases/);
  assert.deepEqual(ran, []);
});

test("running the same call again neither asks people twice nor runs twice", async () => {
  const ran: string[] = [];
  const args = payment("111.00");
  const { agent } = agentWith("transfer", "payments.transfer", args, ran);
  const first = runWithCountersign(agent, "pay", { withinMs: 30_000 });
  await decideNextAsk(AGENT, "payments.transfer", "alice", "APPROVE");
  assert.equal((await first).finalOutput, "The tool said: transfer ran");

  const again = await run(agent, "pay");
  assert.equal(again.interruptions.length, 0, "approved already: nobody is asked again");
  assert.match(String(again.finalOutput), /^The tool said: Not run: Countersign REFUSED \(grant_already_redeemed\)/);
  assert.equal(ran.length, 1);
});

test("an approval does not carry over to changed arguments", async () => {
  const ran: string[] = [];
  const args = payment("112.00");
  const { agent, guarded } = agentWith("transfer", "payments.transfer", args, ran);
  const approved = runWithCountersign(agent, "pay", { withinMs: 30_000 });
  await decideNextAsk(AGENT, "payments.transfer", "alice", "APPROVE");
  assert.equal((await approved).finalOutput, "The tool said: transfer ran");

  const changed = await (guarded as any).invoke({}, JSON.stringify({ ...args, amount: "1120.00" }));
  assert.match(String(changed), /^Not run yet: waiting for people to approve Countersign request act_/);
  assert.equal(ran.length, 1);
});

test("a run saved while waiting resumes in a new process from its serialized state", async () => {
  const ran: string[] = [];
  const args = payment("117.00");
  const before = agentWith("transfer", "payments.transfer", args, ran);
  const waiting = await run(before.agent, "pay");
  assert.equal(waiting.interruptions.length, 1);
  const saved = waiting.state.toString();

  const approvedId = await decideNextAsk(AGENT, "payments.transfer", "bob", "APPROVE");
  // Another process: a new guarded tool that asked nothing itself, and the state read back.
  const after = agentWith("transfer", "payments.transfer", args, ran);
  const state = await RunState.fromString(after.agent, saved);
  const decided = await resolveInterruptions(state, 30_000);
  assert.deepEqual(decided.map((r) => [r.id, r.status]), [[approvedId, "APPROVED"]]);
  const resumed = await run(after.agent, state);

  assert.equal(resumed.finalOutput, "The tool said: transfer ran");
  assert.deepEqual(ran.map((r) => JSON.parse(r).amount), ["117.00"]);
});
