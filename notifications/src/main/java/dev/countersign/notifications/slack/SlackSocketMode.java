package dev.countersign.notifications.slack;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.slack.api.socket_mode.SocketModeClient;
import com.slack.api.socket_mode.request.InteractiveEnvelope;
import java.io.IOException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * Socket Mode, for deployments without a public URL: Countersign opens a WebSocket to Slack
 * (app-level token, {@code connections:write}) and interactions arrive on it instead of at
 * {@code /slack/interactions}. The same {@link SlackInteractions} handles them; the envelope is
 * acknowledged with the same answer the HTTP endpoint would give.
 */
@Component
@ConditionalOnSlack
class SlackSocketMode implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(SlackSocketMode.class);

    private final SlackInteractions interactions;
    private final SlackWebApi slack;
    private final SlackProperties properties;
    private volatile SocketModeClient client;

    SlackSocketMode(SlackInteractions interactions, SlackWebApi slack, SlackProperties properties) {
        this.interactions = interactions;
        this.slack = slack;
        this.properties = properties;
    }

    /** The WebSocket message that acknowledges an envelope, carrying a dialog's {@code response_action} when there is one. */
    String acknowledge(InteractiveEnvelope envelope) {
        var ack = interactions.handle(envelope.getPayload().toString());
        JsonObject response = new JsonObject();
        response.addProperty("envelope_id", envelope.getEnvelopeId());
        if (!ack.json().isEmpty()) {
            response.add("payload", JsonParser.parseString(ack.json()));
        }
        return response.toString();
    }

    @Override
    public void start() {
        if (!properties.socketMode()) {
            return;
        }
        try {
            SocketModeClient socket = slack.slack().socketMode(properties.appToken(), SocketModeClient.Backend.JavaWebSocket);
            socket.addInteractiveEnvelopeListener(envelope -> socket.sendSocketModeResponse(acknowledge(envelope)));
            socket.connect();
            client = socket;
            log.info("Slack Socket Mode connected: interactions arrive over the WebSocket");
        } catch (IOException e) {
            // Posting still works; the SDK reconnects once connected, but a first failure is ours to report.
            log.error("Slack Socket Mode could not connect ({}); buttons will not answer until restart. Check SLACK_APP_TOKEN", e.getMessage());
        }
    }

    @Override
    public void stop() {
        var socket = client;
        client = null;
        if (socket != null) {
            try {
                socket.close();
            } catch (IOException e) {
                log.debug("Closing Socket Mode: {}", e.getMessage());
            }
        }
    }

    @Override
    public boolean isRunning() {
        return client != null || !properties.socketMode();
    }
}
