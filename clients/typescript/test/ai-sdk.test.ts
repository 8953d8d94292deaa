import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { test } from "node:test";
import { generateText, stepCountIs, tool } from "ai";
import { MockLanguageModelV4 } from "ai/test";
import { z } from "zod";
import { guardTool } from "../src/ai-sdk.js";
import { countersignFor, decideNextAsk, payment, productionDatabase } from "./support.js";

const AGENT = "ai-sdk-agent";
const countersign = countersignFor(AGENT);

const usage = { inputTokens: { total: 1, noCache: 1, cacheRead: 0, cacheWrite: 0 }, outputTokens: { total: 1, text: 1, reasoning: 0 } };

/** The AI SDK's own mock model, scripted: first call the tool, then say what it answered. */
function scripted(name: string, args: object) {
  return new MockLanguageModelV4({
    doGenerate: async (options: any) => {
      const result = options.prompt.flatMap((m: any) => (m.role === "tool" ? m.content : [])).find((p: any) => p.type === "tool-result");
      if (result) {
        const value = result.output?.value;
        return { content: [{ type: "text", text: `The tool said: ${typeof value === "string" ? value : JSON.stringify(value)}` }],
          finishReason: { unified: "stop", raw: "stop" }, usage, warnings: [] };
      }
      return { content: [{ type: "tool-call", toolCallId: `call_${randomUUID()}`, toolName: name, input: JSON.stringify(args) }],
        finishReason: { unified: "tool-calls", raw: "tool_calls" }, usage, warnings: [] };
    },
  });
}

function tools(name: string, catalogTool: string, ran: string[]) {
  const plain = tool({ description: `test tool ${name}`, inputSchema: z.object({}).passthrough(),
    execute: async (input: any) => { ran.push(JSON.stringify(input)); return `${name} ran`; } });
  return { [name]: guardTool(plain, { countersign, tool: catalogTool, withinMs: 30_000 }) };
}

async function chat(name: string, catalogTool: string, args: object, ran: string[]) {
  const { text } = await generateText({ model: scripted(name, args), tools: tools(name, catalogTool, ran), stopWhen: stepCountIs(3), prompt: "go" });
  return text;
}

test("a tool policy allows runs at once", async () => {
  const ran: string[] = [];
  assert.equal(await chat("read_docs", "docs.read", { page: "runbook" }, ran), "The tool said: read_docs ran");
  assert.equal(ran.length, 1);
});

test("a payment runs after a person approves it, within the step", async () => {
  const ran: string[] = [];
  const answer = chat("transfer", "payments.transfer", payment("113.00"), ran);
  await decideNextAsk(AGENT, "payments.transfer", "alice", "APPROVE");
  assert.equal(await answer, "The tool said: transfer ran");
  assert.deepEqual(ran.map((r) => JSON.parse(r).amount), ["113.00"]);
});

test("a denied call does not run and the model reads why", async () => {
  const ran: string[] = [];
  const answer = await chat("drop_table", "db.drop_table", { database: productionDatabase() }, ran);
  assert.match(answer, /^The tool said: Not run: Countersign DENIED - Agents never drop production databases \[request act_/);
  assert.deepEqual(ran, []);
});

test("the model calling again neither asks people twice nor runs twice", async () => {
  const ran: string[] = [];
  const args = payment("114.00");
  const first = chat("transfer", "payments.transfer", args, ran);
  const approved = await decideNextAsk(AGENT, "payments.transfer", "bob", "APPROVE");
  assert.equal(await first, "The tool said: transfer ran");

  const again = await chat("transfer", "payments.transfer", args, ran);
  assert.equal(again, `The tool said: Not run: Countersign REFUSED (grant_already_redeemed) - this approved call already ran once; a grant runs a call once [request ${approved}]`);
  assert.equal(ran.length, 1);
});

test("a grant is refused for arguments other than the approved ones", async () => {
  const args = payment("116.00");
  const asked = await countersign.ask({ tool: "payments.transfer", arguments: args });
  await decideNextAsk(AGENT, "payments.transfer", "alice", "APPROVE");
  const approved = await countersign.await(asked.id, 30_000);
  const outcome = await countersign.runApproved(approved, "payments.transfer", { ...args, amount: "1160.00" }, () => assert.fail("ran"));
  assert.equal(outcome.kind === "refused" && outcome.code, "grant_invalid");
});
