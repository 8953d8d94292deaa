package dev.countersign.notifications.slack;

import dev.countersign.common.ModuleMigrations;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The Slack ledger's tables (slack_post, slack_interaction), present whether Slack is on or not: the console reads them. */
@Configuration(proxyBeanMethods = false)
class SlackMigrations {

    @Bean
    ModuleMigrations slackSchema() {
        return new ModuleMigrations("slack", "classpath:db/slack");
    }
}
