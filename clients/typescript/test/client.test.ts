import assert from "node:assert/strict";
import { test } from "node:test";
import { actionHash, CountersignProblem, describe } from "../src/index.js";
import { countersignFor, decideNextAsk, payment, productionDatabase } from "./support.js";

const AGENT = "ts-client-agent";
const countersign = countersignFor(AGENT);

test("a tool policy allows runs at once, and the client's hash is the server's", async () => {
  const args = { page: "runbook", zoom: 1.5e-7, lines: [1, 2.0, 1e21], title: "Café €" };
  const outcome = await countersign.guard({ tool: "docs.read", arguments: args }, 10_000, () => "read");
  assert.equal(outcome.kind, "ran");
  assert.equal(outcome.request.actionHash, actionHash("docs.read", args));
});

test("a payment runs after a person approves it", async () => {
  const ran: string[] = [];
  const args = payment("105.00");
  const guarded = countersign.guard({ tool: "payments.transfer", arguments: args }, 30_000, () => { ran.push(args.amount); return "paid"; });
  await decideNextAsk(AGENT, "payments.transfer", "alice", "APPROVE");
  const outcome = await guarded;
  assert.equal(outcome.kind, "ran");
  assert.deepEqual(ran, ["105.00"]);
});

test("a denied call does not run and says why", async () => {
  const outcome = await countersign.guard({ tool: "db.drop_table", arguments: { database: productionDatabase() } }, 10_000, () => assert.fail("ran"));
  assert.equal(outcome.kind, "refused");
  assert.match(describe(outcome), /^Not run: Countersign DENIED - Agents never drop production databases \[request act_/);
});

test("asking again neither asks people twice nor runs twice", async () => {
  const ran: string[] = [];
  const args = payment("106.00");
  const first = countersign.guard({ tool: "payments.transfer", arguments: args }, 30_000, () => ran.push("ran"));
  const approved = await decideNextAsk(AGENT, "payments.transfer", "bob", "APPROVE");
  assert.equal((await first).kind, "ran");

  const again = await countersign.guard({ tool: "payments.transfer", arguments: args }, 30_000, () => ran.push("ran again"));
  assert.equal(again.kind, "refused");
  assert.equal(again.kind === "refused" && again.code, "grant_already_redeemed");
  assert.equal(again.request.id, approved);
  assert.deepEqual(ran, ["ran"]);
});

test("a grant is refused for arguments other than the approved ones", async () => {
  const args = payment("107.00");
  const asked = await countersign.ask({ tool: "payments.transfer", arguments: args });
  await decideNextAsk(AGENT, "payments.transfer", "alice", "APPROVE");
  const approved = await countersign.await(asked.id, 30_000);
  assert.equal(approved.status, "APPROVED");

  const outcome = await countersign.runApproved(approved, "payments.transfer", { ...args, to: "acct-attacker-1" }, () => assert.fail("ran"));
  assert.equal(outcome.kind === "refused" && outcome.code, "grant_invalid");
});

test("a refused ask is a problem with its code", async () => {
  await assert.rejects(countersign.ask({ tool: "payments.teleport", arguments: { to: "mars" } }),
    (e: unknown) => e instanceof CountersignProblem && e.status === 422 && e.code === "unknown_tool");
});
