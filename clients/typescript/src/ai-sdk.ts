/**
 * Countersign for the Vercel AI SDK (`ai`): wrap a tool so that its `execute` asks Countersign first, waits for
 * people within the step, and runs only with a grant redeemed for exactly the model's arguments; otherwise the model
 * gets one line saying why it did not run.
 *
 *   const tools = { transfer: guardTool(transfer, { countersign, tool: "payments.transfer" }) };
 *   await generateText({ model, tools, stopWhen: stepCountIs(5), prompt: "Pay INV-2291" });
 */
import { actionHash, Countersign, forModel, type Arguments } from "./index.js";

export interface GuardOptions {
  countersign: Countersign;
  /** The catalog's tool (payments.transfer). */
  tool: string;
  /** How long a step may wait for people (default 5 minutes); then the model reads "not run yet". */
  withinMs?: number;
  callId?: (args: Arguments) => string;
}

type ExecutableTool = { execute?: (input: any, options: any) => any; [key: string]: any };

export function guardTool<T extends ExecutableTool>(tool: T, options: GuardOptions): T {
  const execute = tool.execute;
  if (!execute) {
    throw new Error("guardTool needs a tool with execute: a tool without one runs on the client, outside Countersign's reach");
  }
  return {
    ...tool,
    execute: async (input: Arguments, callOptions: { toolCallId?: string }) => {
      // The model's id for this call, with the action (a scripted or careless model may reuse ids).
      const callId = options.callId?.(input)
        ?? (callOptions?.toolCallId ? `${callOptions.toolCallId}/${actionHash(options.tool, input)}` : undefined);
      const outcome = await options.countersign.guard(
        { tool: options.tool, arguments: input, callId, justification: "Called by the model through an AI SDK tool" },
        options.withinMs ?? 5 * 60_000,
        () => execute(input, callOptions));
      return forModel(outcome);
    },
  };
}
