package dev.countersign.notifications.slack;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.stereotype.Component;

/**
 * Says at start-up whether Slack is on, and refuses to start when it is half configured (a bot
 * that could post buttons nobody can answer).
 */
@Component
@EnableConfigurationProperties(SlackProperties.class)
class SlackStatus implements ApplicationRunner {

    private static final Logger log = LoggerFactory.getLogger("countersign.slack");

    private final SlackProperties properties;
    private final ObjectProvider<SlackWebApi> slack;

    SlackStatus(SlackProperties properties, ObjectProvider<SlackWebApi> slack) {
        String problem = properties.misconfiguration();
        if (problem != null) {
            throw new IllegalStateException("Slack is half configured: " + problem);
        }
        this.properties = properties;
        this.slack = slack;
    }

    @Override
    public void run(ApplicationArguments args) {
        if (!properties.enabled()) {
            log.info("Slack is off: approvals are in the console and the API only. To ask approvers in Slack, set SLACK_BOT_TOKEN"
                    + " and SLACK_SIGNING_SECRET (README, \"Slack\")");
            return;
        }
        log.info("Slack is on: {}; interactions via {}; default channel {}, DMs {}", slack.getObject().whoAmI(),
                properties.socketMode() ? "Socket Mode" : "POST /slack/interactions",
                properties.defaultChannel() == null ? "(none: rules name theirs)" : properties.defaultChannel(),
                properties.dmApprovers() ? "on" : "per rule");
    }
}
