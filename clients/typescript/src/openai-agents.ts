/**
 * Countersign for the OpenAI Agents SDK (@openai/agents): a guarded tool's `needsApproval` is answered by Countersign's
 * policy, a call that waits for people interrupts the run, and `runWithCountersign` resumes it when they decide; the
 * tool runs only with a grant redeemed for exactly the model's arguments.
 *
 *   const pay = guardTool(transferTool, { countersign, tool: "payments.transfer" });
 *   const result = await runWithCountersign(new Agent({ tools: [pay], ... }), "Pay INV-2291", { countersign });
 */
import { run, type Agent, type FunctionTool, type RunResult, type RunState, type RunToolApprovalItem } from "@openai/agents";
import { actionHash, Countersign, describe, forModel, type ActionRequest, type Arguments } from "./index.js";

export interface GuardOptions {
  countersign: Countersign;
  /** The catalog's tool (payments.transfer): model APIs refuse dotted function names, so it is named apart. */
  tool: string;
  /** Names the step for retries; default: the model's call id with the action. */
  callId?: (args: Arguments, modelCallId?: string) => string;
}

const GUARDED = Symbol("countersign.guarded");

type Guarded = FunctionTool<any, any, any> & {
  [GUARDED]: { countersign: Countersign; requests: Map<string, string>; ask: (input: unknown, callId?: string) => { answer: Promise<ActionRequest> } };
};

/** The same tool, asking Countersign first. */
export function guardTool<T extends FunctionTool<any, any, any>>(tool: T, options: GuardOptions): T {
  const requests = new Map<string, string>();
  const ask = (input: unknown, modelCallId?: string) => {
    const args = (typeof input === "string" ? JSON.parse(input || "{}") : input) as Arguments;
    // The model's call id is the same when the SDK asks needsApproval and when it invokes (also after a resume): one
    // request for both. With the action, since a scripted or careless model may reuse ids.
    const callId = options.callId?.(args, modelCallId) ?? (modelCallId ? `${modelCallId}/${actionHash(options.tool, args)}` : undefined);
    return { args, answer: options.countersign.ask({ tool: options.tool, arguments: args, callId,
      justification: `Called by the model through OpenAI Agents tool ${tool.name}` }) };
  };
  const guarded: Guarded = {
    ...tool,
    // Asked when the model calls the tool: people are asked only if the policy says so (PENDING); anything decided
    // at once (allowed, denied) runs invoke, which reports it.
    needsApproval: async (_context, input, callId) => {
      const answer = await ask(input, callId).answer;
      if (callId) requests.set(callId, answer.id);
      return answer.status === "PENDING";
    },
    invoke: async (context, input, details) => {
      const { args, answer } = ask(input, details?.toolCall?.callId);
      const request = await answer;
      const outcome = await options.countersign.runApproved(request, options.tool, args, () => tool.invoke(context, input, details));
      return forModel(outcome);
    },
    [GUARDED]: { countersign: options.countersign, requests, ask },
  };
  return guarded as unknown as T;
}

/**
 * Waits for people on every interruption of a guarded tool, approves or rejects it in the run state as they decided
 * (a rejection carries Countersign's reason to the model), and leaves other interruptions alone. The state may come
 * from `RunState.fromString` in another process: the request is found again by the model's call id.
 */
export async function resolveInterruptions(state: RunState<any, any>, withinMs: number): Promise<ActionRequest[]> {
  const decided: ActionRequest[] = [];
  for (const item of state.getInterruptions() as RunToolApprovalItem[]) {
    const guarded = (item.agent.tools.find((t) => t.name === item.name) as Guarded | undefined)?.[GUARDED];
    const raw = item.rawItem as { callId?: string; arguments?: string };
    if (!guarded || !raw.callId) continue;
    // Asked in this process, or (a run state saved and resumed elsewhere) asked again with the same call id, which
    // Countersign answers with the same request.
    const id = guarded.requests.get(raw.callId) ?? (await guarded.ask(raw.arguments ?? "{}", raw.callId).answer).id;
    const request = await guarded.countersign.await(id, withinMs);
    decided.push(request);
    if (request.status === "APPROVED") {
      state.approve(item);
    } else if (request.status !== "PENDING") {
      state.reject(item, { message: describe({ kind: "refused", request, status: request.status, reason: request.decision?.reason ?? request.status }) });
    }
  }
  return decided;
}

/** `run`, then, while guarded tools wait for people, wait for their decisions and resume the run. */
export async function runWithCountersign(agent: Agent<any, any>, input: string, options: { withinMs?: number; maxTurns?: number } = {})
  : Promise<RunResult<any, any>> {
  let result = await run(agent, input, { maxTurns: options.maxTurns });
  while (result.interruptions.length > 0) {
    const decided = await resolveInterruptions(result.state, options.withinMs ?? 5 * 60_000);
    if (decided.length === 0 || decided.some((request) => request.status === "PENDING")) {
      return result; // still waiting (or interruptions of other tools): the caller keeps result.state to resume later
    }
    result = await run(agent, result.state, { maxTurns: options.maxTurns });
  }
  return result;
}
