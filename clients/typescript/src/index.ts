/**
 * Countersign for TypeScript agents: ask before a tool runs, wait for people by long-poll, and run the tool only with
 * a grant redeemed for exactly the arguments it runs with. Node 20+ (global fetch, node:crypto).
 */
import { createHash, randomUUID } from "node:crypto";

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
export type Arguments = { [key: string]: Json };

export interface ActionRequest {
  id: string;
  status: "PENDING" | "APPROVED" | "DENIED" | "EXPIRED" | "CANCELLED";
  tool: string;
  actionHash: string;
  arguments: Arguments;
  decision?: { by?: string; rule?: string; reason?: string; votes?: unknown[] };
  approval?: { approvers: string[]; quorum: number; expiresAt: string };
  grant?: { token: string; expiresAt: string };
  [field: string]: unknown;
}

export interface Ask {
  tool: string;
  arguments: Arguments;
  /**
   * Names the step, stably: a retried step reuses it and gets the very same request. Without one, each ask is a new
   * call; a retry is still neither asked twice nor run twice (Countersign joins an identical pending or just-approved
   * action, and a grant runs once), but an action policy allows at once runs again.
   */
  callId?: string;
  justification?: string;
  onBehalfOf?: string;
  sessionId?: string;
}

/** How a guarded call ended. */
export type Outcome<T> =
  | { kind: "ran"; request: ActionRequest; result: T }
  | { kind: "refused"; request: ActionRequest; status: string; code?: string; reason: string }
  | { kind: "pending"; request: ActionRequest };

export type TokenSource = () => Promise<string>;
export type Credentials = { clientId: string; clientSecret: string; tokenUrl?: string } | TokenSource;

/** Countersign refused a call: decide by `code` (docs/api.md, "Error codes"), never by the message. */
export class CountersignProblem extends Error {
  constructor(readonly status: number, readonly code: string, detail: string, readonly problem: Record<string, unknown> = {}) {
    super(`${status} ${code}: ${detail}`);
    this.name = "CountersignProblem";
  }
}

/** Countersign could not be reached, or stayed unavailable until the deadline: nothing is known to have run. */
export class CountersignUnavailable extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "CountersignUnavailable";
  }
}

class RetryLater extends Error {
  constructor(readonly failure: Error, readonly retryAfterSeconds?: number) {
    super(failure.message);
  }
}

/** RFC 8785: keys sorted by UTF-16 code units (JavaScript's own string order), numbers as JSON.stringify writes them. */
export function canonicalJson(value: Json): string {
  if (value === null || typeof value !== "object") {
    if (typeof value === "number" && !Number.isFinite(value)) {
      throw new TypeError("NaN and infinities are not JSON");
    }
    return JSON.stringify(value);
  }
  if (Array.isArray(value)) {
    return `[${value.map(canonicalJson).join(",")}]`;
  }
  const keys = Object.keys(value).sort();
  return `{${keys.map((key) => `${JSON.stringify(key)}:${canonicalJson(value[key])}`).join(",")}}`;
}

/** What a grant is bound to: `sha256:` + hex SHA-256 of the canonical JSON of {tool, arguments}. */
export function actionHash(tool: string, args: Arguments): string {
  return "sha256:" + createHash("sha256").update(canonicalJson({ tool, arguments: args }), "utf8").digest("hex");
}

/** For a model: one line saying what happened, with the request id an operator can look up. */
export function describe(outcome: Outcome<unknown>): string {
  switch (outcome.kind) {
    case "ran":
      return `Ran under Countersign request ${outcome.request.id}`;
    case "refused":
      return `Not run: Countersign ${outcome.status}${outcome.code ? ` (${outcome.code})` : ""} - ${outcome.reason} [request ${outcome.request.id}]`;
    case "pending":
      return `Not run yet: waiting for people to approve Countersign request ${outcome.request.id}; try again later with the same arguments and it will pick up their decision`;
  }
}

/** For a model: the tool's result when it ran, else one line saying why not. */
export function forModel<T>(outcome: Outcome<T>): T | string {
  return outcome.kind === "ran" ? outcome.result : describe(outcome);
}

const LONGEST_WAIT_SECONDS = 60;

export interface CountersignOptions {
  baseUrl: string;
  /** The agent's token: its issuer's, or client credentials at Countersign's built-in issuer. */
  agent: Credentials;
  /** The tool gateway's, for the process that runs tools and redeems their grants. */
  gateway?: Credentials;
  /** The pause after a failed call (ms), doubled up to `longestBackoffMs`, jittered, unless Retry-After says. */
  firstBackoffMs?: number;
  longestBackoffMs?: number;
}

export class Countersign {
  private readonly baseUrl: string;
  private readonly agent: TokenSource;
  private readonly gateway?: TokenSource;
  private readonly firstBackoffMs: number;
  private readonly longestBackoffMs: number;

  constructor(options: CountersignOptions) {
    this.baseUrl = options.baseUrl.replace(/\/$/, "");
    this.agent = this.tokens(options.agent);
    this.gateway = options.gateway ? this.tokens(options.gateway) : undefined;
    this.firstBackoffMs = options.firstBackoffMs ?? 250;
    this.longestBackoffMs = options.longestBackoffMs ?? 10_000;
  }

  /** Asks; the same call id again is answered the same request, and people are never asked twice. */
  async ask(ask: Ask): Promise<ActionRequest> {
    const body: Record<string, unknown> = { tool: ask.tool, arguments: ask.arguments };
    if (ask.justification !== undefined) body.justification = ask.justification;
    if (ask.onBehalfOf !== undefined) body.onBehalfOf = ask.onBehalfOf;
    if (ask.sessionId !== undefined) body.sessionId = ask.sessionId;
    // Once per ask, so that its own retries send the same key; a call id makes a retried step's key the same too.
    const key = ask.callId !== undefined ? "call-" + createHash("sha256").update(ask.callId, "utf8").digest("hex") : `ask-${randomUUID()}`;
    return this.retrying(Date.now() + 30_000, () =>
      this.send("POST", "/api/v1/actions", this.agent, body, { "Idempotency-Key": key }));
  }

  read(id: string): Promise<ActionRequest> {
    return this.retrying(Date.now() + 30_000, () => this.send("GET", `/api/v1/actions/${encodeURIComponent(id)}`, this.agent));
  }

  /** Long-polls until the request leaves PENDING or `withinMs` passes; answers it as last read. */
  async await(id: string, withinMs: number): Promise<ActionRequest> {
    const deadline = Date.now() + withinMs;
    let request = await this.read(id);
    let pause = this.firstBackoffMs;
    while (request.status === "PENDING") {
      const left = Math.floor((deadline - Date.now()) / 1000);
      if (left <= 0) return request;
      const wait = Math.min(LONGEST_WAIT_SECONDS, left);
      const polled = Date.now();
      request = await this.retrying(deadline, () =>
        this.send("GET", `/api/v1/actions/${encodeURIComponent(id)}?wait=${wait}`, this.agent, undefined, {}, (wait + 15) * 1000));
      if (request.status === "PENDING" && Date.now() - polled < (wait * 1000) / 2) {
        // Answered well before the wait asked for (an instance without its database answers the request as last read):
        // pause before the next poll rather than asking again at once.
        await new Promise((resolve) => setTimeout(resolve, Math.max(0, Math.min(pause / 2 + Math.random() * (pause / 2), deadline - Date.now()))));
        pause = Math.min(pause * 2, this.longestBackoffMs);
      } else {
        pause = this.firstBackoffMs;
      }
    }
    return request;
  }

  cancel(id: string): Promise<ActionRequest> {
    return this.retrying(Date.now() + 30_000, () => this.send("POST", `/api/v1/actions/${encodeURIComponent(id)}/cancel`, this.agent));
  }

  /** Redeems with the tool gateway's token for the hash of the arguments about to run. Never retried. */
  async redeem(grant: { token: string }, tool: string, args: Arguments): Promise<unknown> {
    if (!this.gateway) {
      throw new Error("Redeeming needs the tool gateway's credentials: new Countersign({ ..., gateway })");
    }
    try {
      return await this.send("POST", "/api/v1/grants/redeem", this.gateway, { grant: grant.token, actionHash: actionHash(tool, args) });
    } catch (e) {
      throw e instanceof RetryLater ? e.failure : e;
    }
  }

  /** Runs `run` only if `request` is APPROVED and its grant redeems for `tool` with `args` (the ones that will run). */
  async runApproved<T>(request: ActionRequest, tool: string, args: Arguments, run: () => Promise<T> | T): Promise<Outcome<T>> {
    if (request.status === "PENDING") return { kind: "pending", request };
    if (request.status !== "APPROVED" || !request.grant) {
      return { kind: "refused", request, status: request.status, reason: request.decision?.reason ?? request.status };
    }
    try {
      await this.redeem(request.grant, tool, args);
    } catch (e) {
      if (e instanceof CountersignProblem) {
        const reason = e.code === "grant_already_redeemed" ? "this approved call already ran once; a grant runs a call once"
          : e.code === "grant_invalid" ? "the grant is not for this call (other arguments than were approved, or expired)" : e.message;
        return { kind: "refused", request, status: "REFUSED", code: e.code, reason };
      }
      throw e;
    }
    return { kind: "ran", request, result: await run() };
  }

  /** Ask, wait up to `withinMs` for people, redeem for exactly these arguments, run at most once. */
  async guard<T>(ask: Ask, withinMs: number, run: () => Promise<T> | T): Promise<Outcome<T>> {
    let request = await this.ask(ask);
    if (request.status === "PENDING") request = await this.await(request.id, withinMs);
    return this.runApproved(request, ask.tool, ask.arguments, run);
  }

  private tokens(credentials: Credentials): TokenSource {
    if (typeof credentials === "function") return credentials;
    const tokenUrl = credentials.tokenUrl ?? `${this.baseUrl}/oauth2/token`;
    let token: string | undefined;
    let renewAt = 0;
    return async () => {
      if (token === undefined || Date.now() >= renewAt) {
        const basic = Buffer.from(`${encodeURIComponent(credentials.clientId)}:${encodeURIComponent(credentials.clientSecret)}`).toString("base64");
        let response: Response;
        try {
          response = await fetch(tokenUrl, { method: "POST", body: "grant_type=client_credentials",
            headers: { Authorization: `Basic ${basic}`, "Content-Type": "application/x-www-form-urlencoded", Accept: "application/json" } });
        } catch (e) {
          throw new CountersignUnavailable(`Could not reach the token endpoint ${tokenUrl}`, { cause: e });
        }
        const body = (await response.json()) as { access_token?: string; expires_in?: number; error?: string };
        if (!response.ok || !body.access_token) {
          throw new CountersignProblem(response.status, body.error ?? "unauthorized", `the token endpoint refused client ${credentials.clientId}`);
        }
        token = body.access_token;
        const expiresIn = body.expires_in ?? 300;
        renewAt = Date.now() + Math.max(expiresIn - 60, expiresIn / 2) * 1000;
      }
      return token;
    };
  }

  private async send<T>(method: string, path: string, tokens: TokenSource, body?: unknown, headers: Record<string, string> = {},
                        timeoutMs = 30_000): Promise<T> {
    const all: Record<string, string> = { Authorization: `Bearer ${await tokens()}`, Accept: "application/json", ...headers };
    if (body !== undefined) all["Content-Type"] = "application/json";
    let response: Response;
    try {
      response = await fetch(this.baseUrl + path, { method, headers: all, body: body === undefined ? undefined : JSON.stringify(body),
        signal: AbortSignal.timeout(timeoutMs) });
    } catch (e) {
      throw new RetryLater(new CountersignUnavailable(`Countersign at ${this.baseUrl} did not answer: ${String(e)}`, { cause: e }));
    }
    const text = await response.text();
    if (response.ok) return JSON.parse(text) as T;
    let problem: Record<string, unknown>;
    try {
      problem = JSON.parse(text) as Record<string, unknown>;
    } catch {
      problem = { detail: text };
    }
    const failure = new CountersignProblem(response.status, String(problem.code ?? `http_${response.status}`), String(problem.detail ?? ""), problem);
    if (response.status === 429 || response.status === 503) {
      const retryAfter = Number(response.headers.get("Retry-After"));
      throw new RetryLater(failure, Number.isFinite(retryAfter) && retryAfter >= 0 && response.headers.has("Retry-After") ? retryAfter : undefined);
    }
    throw failure;
  }

  private async retrying<T>(deadline: number, call: () => Promise<T>): Promise<T> {
    let pause = this.firstBackoffMs;
    for (;;) {
      try {
        return await call();
      } catch (e) {
        if (!(e instanceof RetryLater)) throw e;
        const next = e.retryAfterSeconds !== undefined ? e.retryAfterSeconds * 1000 : pause / 2 + Math.random() * (pause / 2);
        if (Date.now() + next > deadline) {
          throw e.failure instanceof CountersignUnavailable ? e.failure
            : new CountersignUnavailable(`Countersign stayed unavailable until the deadline: ${e.failure.message}`, { cause: e.failure });
        }
        await new Promise((resolve) => setTimeout(resolve, next));
        pause = Math.min(pause * 2, this.longestBackoffMs);
      }
    }
  }
}
