package dev.countersign.client;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Supplier;
import tools.jackson.databind.JsonNode;

/**
 * The agent's side of Countersign in Java: ask before a tool runs, wait for people by long-poll, cancel, and hand the
 * grant to the tool, which redeems it for exactly the arguments it runs. Blocking calls on the JDK's HttpClient: run
 * them on virtual threads to wait for many approvals at once.
 *
 * <pre>{@code
 * var countersign = Countersign.builder(URI.create("http://localhost:8080"))
 *         .agent("billing-agent", "billing-agent-secret")
 *         .gateway("tool-gateway", "tool-gateway-secret")
 *         .build();
 * Outcome<String> outcome = countersign.guard(Ask.of("payments.transfer", args).callId("run-7f3a/pay-1"),
 *         Duration.ofMinutes(30), () -> bank.transfer(args));
 * }</pre>
 */
public final class Countersign {

    static final int LONGEST_WAIT_SECONDS = 60;

    private final URI baseUrl;
    private final TokenSource agent;
    private final TokenSource gateway;
    private final HttpClient http;
    private final Duration firstBackoff;
    private final Duration longestBackoff;

    private Countersign(Builder builder) {
        this.baseUrl = builder.baseUrl;
        this.agent = Objects.requireNonNull(builder.agent, "an agent's token source (builder.agent(...))");
        this.gateway = builder.gateway;
        this.http = builder.http != null ? builder.http : HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
        this.firstBackoff = builder.firstBackoff;
        this.longestBackoff = builder.longestBackoff;
    }

    public static Builder builder(URI baseUrl) {
        return new Builder(baseUrl);
    }

    /**
     * Asks. A retry with the same call id is answered the same request ({@code Idempotent-Replayed}); the same action while
     * one is pending or was just approved joins it. Refusals of the ask itself (unknown tool, arguments the catalog's
     * schema refuses, a tool the agent may not use) are {@link CountersignProblem}s.
     */
    public ActionRequest ask(Ask ask) {
        String key = ask.idempotencyKey();
        return retrying(Instant.now().plusSeconds(30), () -> send(HttpRequest.newBuilder(baseUrl.resolve("/api/v1/actions"))
                .header("Authorization", "Bearer " + agent.token())
                .header("Content-Type", "application/json")
                .header("Idempotency-Key", key)
                .POST(HttpRequest.BodyPublishers.ofString(Json.MAPPER.writeValueAsString(ask.body()))), ActionRequest.class));
    }

    /** The request as it is now. */
    public ActionRequest read(String id) {
        return retrying(Instant.now().plusSeconds(30), () -> get(id, 0));
    }

    /**
     * Waits until the request leaves PENDING or the deadline passes, by long-polls of up to 60 s; a failed poll (no
     * connection, 429, 503) is tried again after a growing pause, honouring {@code Retry-After}. Answers the request as
     * last read: PENDING when people had not decided by the deadline.
     */
    public ActionRequest await(String id, Duration within) {
        Instant deadline = Instant.now().plus(within);
        ActionRequest request = read(id);
        Duration pause = firstBackoff;
        while (request.pending()) {
            long left = Duration.between(Instant.now(), deadline).toSeconds();
            if (left <= 0) {
                return request;
            }
            int wait = (int) Math.min(LONGEST_WAIT_SECONDS, left);
            long polled = System.nanoTime();
            request = retrying(deadline, () -> get(id, wait));
            if (request.pending() && Duration.ofNanos(System.nanoTime() - polled).compareTo(Duration.ofSeconds(wait).dividedBy(2)) < 0) {
                // Answered well before the wait it was asked for (an instance without its database answers the request
                // as last read): pause before the next poll rather than asking again at once.
                Duration rest = Duration.between(Instant.now(), deadline);
                sleep(pause.compareTo(rest) < 0 ? jittered(pause) : rest.isNegative() ? Duration.ZERO : rest);
                pause = pause.multipliedBy(2).compareTo(longestBackoff) > 0 ? longestBackoff : pause.multipliedBy(2);
            } else {
                pause = firstBackoff;
            }
        }
        return request;
    }

    /** Withdraws a pending request (CANCELLED); a decided one is answered unchanged. */
    public ActionRequest cancel(String id) {
        return retrying(Instant.now().plusSeconds(30), () -> send(HttpRequest.newBuilder(baseUrl.resolve("/api/v1/actions/" + id + "/cancel"))
                .header("Authorization", "Bearer " + agent.token())
                .POST(HttpRequest.BodyPublishers.noBody()), ActionRequest.class));
    }

    /**
     * Redeems a grant for the call about to run, with the tool gateway's token: the hash is computed here from
     * {@code arguments}, so a grant approved for other arguments is refused ({@code grant_invalid}), and a grant that was
     * redeemed before is refused ({@code grant_already_redeemed}).
     */
    public Redeemed redeem(ActionRequest.Grant grant, String tool, Map<String, Object> arguments) {
        if (gateway == null) {
            throw new IllegalStateException("Redeeming needs the tool gateway's credentials: builder.gateway(id, secret)");
        }
        String body = Json.MAPPER.writeValueAsString(Map.of("grant", grant.token(), "actionHash", ActionHash.of(tool, arguments)));
        // Not retried on a lost answer: a redemption that went through cannot be made again, and the tool must then not run.
        try {
            return send(HttpRequest.newBuilder(baseUrl.resolve("/api/v1/grants/redeem"))
                    .header("Authorization", "Bearer " + gateway.token())
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(body)), Redeemed.class);
        } catch (RetryLater lost) {
            throw lost.failure;
        }
    }

    public record Redeemed(String requestId, String agent, String tool, String actionHash) {
    }

    /**
     * The whole hand-off: ask, wait until {@code within} for people, then redeem the grant for exactly these arguments and
     * run {@code tool}. The tool runs at most once per grant, only after a successful redemption.
     */
    public <T> Outcome<T> guard(Ask ask, Duration within, Supplier<T> tool) {
        ActionRequest request = ask(ask);
        if (request.pending()) {
            request = await(request.id(), within);
        }
        return runApproved(request, ask.tool(), ask.arguments(), tool);
    }

    /**
     * {@link #guard} for a tool a model called: the tool's result, or one line the model can explain to its user, also
     * when Countersign refused the ask itself (an unknown tool, arguments the catalog's schema refuses).
     */
    public String guardForModel(Ask ask, Duration within, Supplier<String> tool) {
        try {
            return Outcome.forModel(guard(ask, within, tool));
        } catch (CountersignProblem refused) {
            return "Not run: Countersign refused the call (" + refused.code() + "): " + refused.getMessage();
        }
    }

    /**
     * Runs {@code tool} under an answered request: only if it is APPROVED and its grant redeems for {@code tool} with
     * {@code arguments} (the ones that will run, which may not be the ones that were asked about).
     */
    public <T> Outcome<T> runApproved(ActionRequest request, String tool, Map<String, Object> arguments, Supplier<T> run) {
        if (request.pending()) {
            return new Outcome.StillPending<>(request);
        }
        if (!request.approved() || request.grant() == null) {
            String reason = request.decision() != null && request.decision().reason() != null ? request.decision().reason() : request.status();
            return new Outcome.Refused<>(request, request.status(), null, reason);
        }
        try {
            redeem(request.grant(), tool, arguments);
        } catch (CountersignProblem refused) {
            String reason = switch (refused.code()) {
                case "grant_already_redeemed" -> "this approved call already ran once; a grant runs a call once";
                case "grant_invalid" -> "the grant is not for this call (other arguments than were approved, or expired)";
                default -> refused.getMessage();
            };
            return new Outcome.Refused<>(request, "REFUSED", refused.code(), reason);
        }
        return new Outcome.Ran<>(request, run.get());
    }

    private ActionRequest get(String id, int waitSeconds) {
        return send(HttpRequest.newBuilder(baseUrl.resolve("/api/v1/actions/" + id + (waitSeconds > 0 ? "?wait=" + waitSeconds : "")))
                .timeout(Duration.ofSeconds(waitSeconds + 15L))
                .header("Authorization", "Bearer " + agent.token()).GET(), ActionRequest.class);
    }

    private <T> T send(HttpRequest.Builder request, Class<T> type) {
        try {
            HttpResponse<String> response = http.send(request.header("Accept", "application/json").build(),
                    HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() / 100 == 2) {
                return Json.MAPPER.readValue(response.body(), type);
            }
            JsonNode problem = problemOf(response.body());
            String code = problem.path("code").asString("http_" + response.statusCode());
            CountersignProblem failure = new CountersignProblem(response.statusCode(), code, problem.path("detail").asString(""), problem);
            if (response.statusCode() == 429 || response.statusCode() == 503) {
                throw new RetryLater(failure, response.headers().firstValueAsLong("Retry-After").orElse(-1));
            }
            throw failure;
        } catch (IOException e) {
            throw new RetryLater(new CountersignUnavailable("Countersign at " + baseUrl + " did not answer: " + e.getMessage(), e), -1);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CountersignUnavailable("Interrupted while talking to Countersign", e);
        }
    }

    private static JsonNode problemOf(String body) {
        try {
            return Json.MAPPER.readTree(body);
        } catch (RuntimeException notJson) {
            return Json.MAPPER.createObjectNode().put("detail", body);
        }
    }

    /** Calls that are safe to repeat (an ask under its Idempotency-Key, a read), tried again until the deadline. */
    private <T> T retrying(Instant deadline, Supplier<T> call) {
        Duration pause = firstBackoff;
        while (true) {
            try {
                return call.get();
            } catch (RetryLater later) {
                Duration next = later.retryAfterSeconds >= 0 ? Duration.ofSeconds(later.retryAfterSeconds) : jittered(pause);
                if (Instant.now().plus(next).isAfter(deadline)) {
                    RuntimeException cause = later.failure;
                    throw cause instanceof CountersignUnavailable unavailable ? unavailable
                            : new CountersignUnavailable("Countersign stayed unavailable until the deadline: " + cause.getMessage(), cause);
                }
                sleep(next);
                pause = pause.multipliedBy(2).compareTo(longestBackoff) > 0 ? longestBackoff : pause.multipliedBy(2);
            }
        }
    }

    private static Duration jittered(Duration pause) {
        return Duration.ofMillis(pause.toMillis() / 2 + ThreadLocalRandom.current().nextLong(pause.toMillis() / 2 + 1));
    }

    private static void sleep(Duration pause) {
        try {
            Thread.sleep(pause);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CountersignUnavailable("Interrupted while waiting to try again", e);
        }
    }

    private static final class RetryLater extends RuntimeException {
        final RuntimeException failure;
        final long retryAfterSeconds;

        RetryLater(RuntimeException failure, long retryAfterSeconds) {
            super(failure.getMessage(), failure, false, false);
            this.failure = failure;
            this.retryAfterSeconds = retryAfterSeconds;
        }
    }

    public static final class Builder {
        private final URI baseUrl;
        private TokenSource agent;
        private TokenSource gateway;
        private HttpClient http;
        private Duration firstBackoff = Duration.ofMillis(250);
        private Duration longestBackoff = Duration.ofSeconds(10);

        private Builder(URI baseUrl) {
            this.baseUrl = Objects.requireNonNull(baseUrl, "baseUrl");
        }

        /** The agent's token: its own issuer's, or client credentials at Countersign's built-in issuer. */
        public Builder agent(TokenSource tokens) {
            this.agent = tokens;
            return this;
        }

        public Builder agent(String clientId, String secret) {
            return agent(ClientCredentials.builtIn(baseUrl, clientId, secret));
        }

        /** The tool gateway's token, for the process that runs tools and redeems their grants. */
        public Builder gateway(TokenSource tokens) {
            this.gateway = tokens;
            return this;
        }

        public Builder gateway(String clientId, String secret) {
            return gateway(ClientCredentials.builtIn(baseUrl, clientId, secret));
        }

        public Builder httpClient(HttpClient client) {
            this.http = client;
            return this;
        }

        /** The pause after a failed call, doubled each time up to {@code longest} (with jitter), unless Retry-After says. */
        public Builder backoff(Duration first, Duration longest) {
            this.firstBackoff = first;
            this.longestBackoff = longest;
            return this;
        }

        public Countersign build() {
            return new Countersign(this);
        }
    }
}
