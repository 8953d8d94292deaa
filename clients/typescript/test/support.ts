// What the suites share: the running Countersign (COUNTERSIGN_URL, started by TypeScriptClientIT in ./mvnw verify),
// its demo identities, and people who vote.
import { randomUUID } from "node:crypto";
import { Countersign } from "../src/index.js";

export const URL = process.env.COUNTERSIGN_URL ?? "http://localhost:8080";

export function countersignFor(agent: string): Countersign {
  return new Countersign({ baseUrl: URL, agent: { clientId: agent, clientSecret: `${agent}-secret` },
    gateway: { clientId: "tool-gateway", clientSecret: "tool-gateway-secret" }, firstBackoffMs: 50 });
}

/** A production database no other test drops: the same action denied earlier would be refused for the cool-down's reason. */
export function productionDatabase(): string {
  return `prod-orders-${randomUUID().slice(0, 8)}`;
}

export function payment(amount: string) {
  return { from: "acct-ops", to: "acct-vendor-17", amount, memo: `typescript ${randomUUID()}` };
}

async function token(id: string): Promise<string> {
  const response = await fetch(`${URL}/oauth2/token`, { method: "POST", body: "grant_type=client_credentials",
    headers: { Authorization: `Basic ${Buffer.from(`${id}:${id}`).toString("base64")}`, "Content-Type": "application/x-www-form-urlencoded" } });
  return ((await response.json()) as { access_token: string }).access_token;
}

/** Waits until `agent` has a pending ask for `tool` that `approver` may decide, decides it, and answers its id. */
export async function decideNextAsk(agent: string, tool: string, approver: string, vote: "APPROVE" | "DENY"): Promise<string> {
  const bearer = { Authorization: `Bearer ${await token(approver)}` };
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    const { items } = (await (await fetch(`${URL}/api/v1/approvals`, { headers: bearer })).json()) as { items: { id: string; agent: string; tool: string }[] };
    const item = items.find((i) => i.agent === agent && i.tool === tool);
    if (item) {
      const voted = await fetch(`${URL}/api/v1/actions/${item.id}/votes`, { method: "POST", headers: { ...bearer, "Content-Type": "application/json" },
        body: JSON.stringify({ vote, comment: "checked by the TypeScript suite" }) });
      if (voted.status !== 200) throw new Error(`vote refused: ${voted.status} ${await voted.text()}`);
      return item.id;
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`no pending ask of ${agent} for ${tool}`);
}
