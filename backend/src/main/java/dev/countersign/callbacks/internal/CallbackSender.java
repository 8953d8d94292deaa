package dev.countersign.callbacks.internal;

import dev.countersign.actions.AgentAsks;
import dev.countersign.audit.AuditLog;
import dev.countersign.callbacks.CallbacksProperties;
import dev.countersign.identity.Callers;
import dev.countersign.identity.IdentityProperties;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;

/**
 * Delivers what {@link CallbackOutbox} wrote: each instance claims due deliveries with a conditional
 * update (so one instance sends each attempt), POSTs the decided request as its agent reads it
 * (the grant included: it is the agent's, single-use and short-lived), signed, and retries a failure
 * with growing waits until {@code attempts}, then gives up and audits it. Redirects are not followed,
 * and a host that resolves to an address the callback does not name is not called.
 */
@Component
@EnableConfigurationProperties(CallbacksProperties.class)
class CallbackSender implements DisposableBean {

    private static final Logger log = LoggerFactory.getLogger(CallbackSender.class);
    private static final int BATCH = 20;

    private record Due(String id, String requestId, String agentId, String url, int attempts) {
    }

    private final org.springframework.jdbc.core.simple.JdbcClient jdbc;
    private final CallbackOutbox outbox;
    private final AgentAsks asks;
    private final Callers callers;
    private final AuditLog audit;
    private final JsonMapper json;
    private final Clock clock;
    private final CallbacksProperties properties;
    private final HttpClient http;
    private final ExecutorService senders = Executors.newVirtualThreadPerTaskExecutor();

    CallbackSender(org.springframework.jdbc.core.simple.JdbcClient jdbc, CallbackOutbox outbox, AgentAsks asks, Callers callers,
                   AuditLog audit, JsonMapper json, Clock clock, CallbacksProperties properties) {
        this.jdbc = jdbc;
        this.outbox = outbox;
        this.asks = asks;
        this.callers = callers;
        this.audit = audit;
        this.json = json;
        this.clock = clock;
        this.properties = properties;
        this.http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).connectTimeout(properties.timeout())
                .executor(senders).build();
    }

    @Scheduled(fixedDelayString = "${countersign.callbacks.poll:1s}")
    void deliverDue() {
        Instant now = clock.instant();
        List<Due> due = jdbc.sql("select id, request_id, agent_id, url, attempts from callback_delivery where state = 'PENDING' "
                        + "and next_attempt_at <= ? order by next_attempt_at limit " + BATCH).param(Timestamp.from(now))
                .query((rs, n) -> new Due(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getInt(5))).list();
        for (Due delivery : due) {
            // Claimed for one attempt's time: another instance takes it only if this one stopped before it finished.
            int claimed = jdbc.sql("update callback_delivery set claimed_until = ? where id = ? and state = 'PENDING' "
                            + "and (claimed_until is null or claimed_until < ?)")
                    .params(Timestamp.from(now.plus(properties.timeout().multipliedBy(3))), delivery.id(), Timestamp.from(now)).update();
            if (claimed == 1) {
                senders.execute(() -> attempt(delivery));
            }
        }
    }

    private void attempt(Due delivery) {
        String error;
        try {
            error = send(delivery);
        } catch (RuntimeException e) {
            error = "could not be sent: " + e.getMessage();
        }
        Instant now = clock.instant();
        int attempts = delivery.attempts() + 1;
        if (error == null) {
            jdbc.sql("update callback_delivery set state = 'DELIVERED', attempts = ?, delivered_at = ?, claimed_until = null, last_error = null "
                    + "where id = ?").params(attempts, Timestamp.from(now), delivery.id()).update();
            audit.record("callback.delivered", "countersign", delivery.requestId(), Map.of("url", delivery.url(), "attempts", attempts,
                    "delivery", delivery.id()));
        } else if (attempts >= properties.attempts()) {
            jdbc.sql("update callback_delivery set state = 'GAVE_UP', attempts = ?, claimed_until = null, last_error = ? where id = ?")
                    .params(attempts, bounded(error), delivery.id()).update();
            audit.record("callback.gave_up", "countersign", delivery.requestId(), Map.of("url", delivery.url(), "attempts", attempts,
                    "delivery", delivery.id(), "error", bounded(error)));
            log.warn("Gave up telling {} of the decision on {} after {} attempts: {}", delivery.url(), delivery.requestId(), attempts, error);
        } else {
            jdbc.sql("update callback_delivery set attempts = ?, next_attempt_at = ?, claimed_until = null, last_error = ? where id = ?")
                    .params(attempts, Timestamp.from(now.plus(properties.retryAfter(attempts))), bounded(error), delivery.id()).update();
        }
    }

    /** One attempt: null when the receiver took it (2xx); else what went wrong. */
    private String send(Due delivery) throws RuntimeException {
        var callback = outbox.of(delivery.agentId()).stream().filter(c -> c.url().toString().equals(delivery.url())).findFirst();
        if (callback.isEmpty()) {
            return "the agent's configuration no longer lists this callback";
        }
        IdentityProperties.Callback target = callback.get();
        String refused = CallbackAddresses.refusal(target.url().getHost(), target.addresses());
        if (refused != null) {
            return "not called: " + refused;
        }
        var agent = callers.agent(delivery.agentId());
        if (agent.isEmpty()) {
            return "the agent is no longer registered";
        }
        long timestamp = clock.instant().getEpochSecond();
        Map<String, Object> payload = new LinkedHashMap<>();
        payload.put("type", "action.decided");
        payload.put("timestamp", Instant.ofEpochSecond(timestamp).toString());
        payload.put("data", asks.await(agent.get(), delivery.requestId(), Duration.ZERO).join());
        String body = json.writeValueAsString(payload);
        var request = HttpRequest.newBuilder(URI.create(delivery.url())).timeout(properties.timeout())
                .header("Content-Type", "application/json")
                .header("User-Agent", "Countersign-Callbacks")
                .header("webhook-id", delivery.id())
                .header("webhook-timestamp", Long.toString(timestamp))
                .header("webhook-signature", WebhookSignature.sign(target.secret(), delivery.id(), timestamp, body))
                .POST(HttpRequest.BodyPublishers.ofString(body)).build();
        try {
            HttpResponse<Void> response = http.send(request, HttpResponse.BodyHandlers.discarding());
            return response.statusCode() / 100 == 2 ? null : "answered HTTP " + response.statusCode();
        } catch (java.io.IOException e) {
            return "could not be reached: " + e.getMessage();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted";
        }
    }

    private static String bounded(String error) {
        return error.length() > 1000 ? error.substring(0, 1000) : error;
    }

    @Override
    public void destroy() {
        senders.shutdownNow();
    }
}
