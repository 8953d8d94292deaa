package dev.countersign.notifications.slack;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.springframework.boot.autoconfigure.condition.ConditionalOnExpression;

/** Slack's beans exist only when a bot token is configured; otherwise Countersign runs without Slack and says so. */
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.TYPE, ElementType.METHOD})
@ConditionalOnExpression("!'${countersign.slack.bot-token:}'.isBlank()")
@interface ConditionalOnSlack {
}
