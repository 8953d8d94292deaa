package dev.countersign.notifications.slack;

import com.slack.api.Slack;
import com.slack.api.SlackConfig;
import com.slack.api.methods.MethodsClient;
import com.slack.api.methods.SlackApiException;
import com.slack.api.methods.SlackApiTextResponse;
import com.slack.api.model.block.LayoutBlock;
import com.slack.api.model.view.View;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * The Web API methods Countersign uses, through Slack's Java SDK, with every outcome classified
 * as done, worth retrying, or refused for good, so that callers never loop on a permanent error.
 */
@Component
@ConditionalOnSlack
class SlackWebApi {

    private static final Logger log = LoggerFactory.getLogger(SlackWebApi.class);

    /** Slack's error codes that a later attempt may get past; every other error is permanent. */
    private static final Set<String> TRANSIENT = Set.of("ratelimited", "internal_error", "fatal_error", "service_unavailable",
            "request_timeout", "team_added_to_org");

    private final MethodsClient methods;
    private final Slack slack;

    SlackWebApi(SlackProperties properties) {
        var config = new SlackConfig();
        config.setMethodsEndpointUrlPrefix(properties.apiUrl());
        // The SDK logs nothing we need at info; its own "prettyResponseLogging" is off by default.
        this.slack = Slack.getInstance(config);
        this.methods = slack.methods(properties.botToken());
    }

    Slack slack() {
        return slack;
    }

    SlackCall postMessage(String channel, String threadTs, String text, List<LayoutBlock> blocks) {
        return call("chat.postMessage", () -> methods.chatPostMessage(r -> r.channel(channel).threadTs(threadTs).text(text)
                .blocks(blocks).unfurlLinks(false).unfurlMedia(false)), response -> new SlackCall.Ok(response.getChannel(), response.getTs()));
    }

    SlackCall update(String channel, String ts, String text, List<LayoutBlock> blocks) {
        return call("chat.update", () -> methods.chatUpdate(r -> r.channel(channel).ts(ts).text(text).blocks(blocks)),
                response -> new SlackCall.Ok(response.getChannel(), response.getTs()));
    }

    SlackCall postEphemeral(String channel, String user, String text) {
        return call("chat.postEphemeral", () -> methods.chatPostEphemeral(r -> r.channel(channel).user(user).text(text)),
                response -> new SlackCall.Ok(channel, response.getMessageTs()));
    }

    SlackCall openView(String triggerId, View view) {
        return call("views.open", () -> methods.viewsOpen(r -> r.triggerId(triggerId).view(view)),
                response -> new SlackCall.Ok(null, null));
    }

    /** The Slack user id for an e-mail address ({@code users:read.email}), if Slack knows it. */
    Optional<String> userIdByEmail(String email) {
        try {
            var response = methods.usersLookupByEmail(r -> r.email(email));
            if (response.isOk() && response.getUser() != null) {
                return Optional.of(response.getUser().getId());
            }
            log.debug("users.lookupByEmail for {}: {}", email, response.getError());
        } catch (IOException | SlackApiException e) {
            log.warn("users.lookupByEmail failed: {}", e.toString());
        }
        return Optional.empty();
    }

    /** A Slack user's e-mail address ({@code users:read.email}), if Slack shares it. */
    Optional<String> emailOf(String userId) {
        try {
            var response = methods.usersInfo(r -> r.user(userId));
            if (response.isOk() && response.getUser() != null && response.getUser().getProfile() != null) {
                return Optional.ofNullable(response.getUser().getProfile().getEmail());
            }
            log.debug("users.info for {}: {}", userId, response.getError());
        } catch (IOException | SlackApiException e) {
            log.warn("users.info failed: {}", e.toString());
        }
        return Optional.empty();
    }

    /** {@code auth.test}: who the bot token belongs to, or why it does not work. */
    String whoAmI() {
        try {
            var response = methods.authTest(r -> r);
            return response.isOk()
                    ? "posting as @" + response.getUser() + " in workspace " + response.getTeam()
                    : "the bot token was refused (" + response.getError() + "): check SLACK_BOT_TOKEN";
        } catch (IOException | SlackApiException e) {
            return "Slack could not be reached (" + e.getMessage() + "); messages will be retried";
        }
    }

    private <T extends SlackApiTextResponse> SlackCall call(String method, SlackRequest<T> request, Function<T, SlackCall.Ok> ok) {
        try {
            T response = request.send();
            if (response.isOk()) {
                return ok.apply(response);
            }
            String error = response.getError();
            return TRANSIENT.contains(error) ? new SlackCall.Retry(null, method + ": " + error) : new SlackCall.Failed(error);
        } catch (SlackApiException e) {
            int status = e.getResponse().code();
            if (status == 429) {
                return new SlackCall.Retry(retryAfter(e), method + ": rate limited");
            }
            if (status >= 500 || status == 408) {
                return new SlackCall.Retry(null, method + ": HTTP " + status);
            }
            return new SlackCall.Failed("http_" + status);
        } catch (IOException e) {
            return new SlackCall.Retry(null, method + ": " + e.getMessage());
        }
    }

    private static Duration retryAfter(SlackApiException e) {
        String header = e.getResponse().header("Retry-After");
        try {
            return header == null ? null : Duration.ofSeconds(Math.max(0, Long.parseLong(header.strip())));
        } catch (NumberFormatException ignored) {
            return null;
        }
    }

    @FunctionalInterface
    private interface SlackRequest<T> {
        T send() throws IOException, SlackApiException;
    }
}
