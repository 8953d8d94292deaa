package dev.countersign.notifications.slack;

import dev.countersign.identity.Caller;
import dev.countersign.identity.Callers;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.stereotype.Component;

/**
 * Who is who between Slack and Countersign. Configuration wins ({@code countersign.slack.users});
 * otherwise people are matched by e-mail: Slack's {@code users.lookupByEmail} to DM an approver,
 * {@code users.info} to know who clicked. A Slack user nobody can match is nobody: their clicks
 * count for nothing.
 */
@Component
@ConditionalOnSlack
class SlackDirectory {

    private final SlackWebApi slack;
    private final Callers callers;
    private final Map<String, String> configuredSlackIds;
    private final Map<String, String> configuredApprovers;
    // Caches of answers Slack gave; a mapping only changes when someone's e-mail does.
    private final Map<String, String> slackIdByApprover = new ConcurrentHashMap<>();
    private final Map<String, String> approverBySlackId = new ConcurrentHashMap<>();

    SlackDirectory(SlackWebApi slack, Callers callers, SlackProperties properties) {
        this.slack = slack;
        this.callers = callers;
        this.configuredSlackIds = properties.users();
        this.configuredApprovers = new ConcurrentHashMap<>();
        properties.users().forEach((approver, slackId) -> configuredApprovers.put(slackId, approver));
    }

    Optional<String> slackIdOf(Caller.Approver approver) {
        String configured = configuredSlackIds.get(approver.id());
        if (configured != null) {
            return Optional.of(configured);
        }
        String cached = slackIdByApprover.get(approver.id());
        if (cached != null || approver.email() == null) {
            return Optional.ofNullable(cached);
        }
        Optional<String> found = slack.userIdByEmail(approver.email());
        found.ifPresent(id -> slackIdByApprover.put(approver.id(), id));
        return found;
    }

    Optional<Caller.Approver> approverFor(String slackUserId) {
        String configured = configuredApprovers.get(slackUserId);
        if (configured != null) {
            return Optional.of(callers.approver(configured, null, java.util.Set.of()));
        }
        String cached = approverBySlackId.get(slackUserId);
        if (cached != null) {
            return Optional.of(callers.approver(cached, null, java.util.Set.of()));
        }
        Optional<Caller.Approver> found = slack.emailOf(slackUserId).flatMap(callers::approverByEmail);
        found.ifPresent(approver -> approverBySlackId.put(slackUserId, approver.id()));
        return found;
    }
}
