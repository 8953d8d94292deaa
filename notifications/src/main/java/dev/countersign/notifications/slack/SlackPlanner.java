package dev.countersign.notifications.slack;

import dev.countersign.actions.ActionDecided;
import dev.countersign.actions.ActionRequest;
import dev.countersign.actions.VoteCast;
import dev.countersign.approvals.ApprovalReminderDue;
import dev.countersign.approvals.ApprovalRequested;
import dev.countersign.approvals.Approvals;
import dev.countersign.identity.Callers;
import dev.countersign.notifications.slack.SlackPost.Kind;
import dev.countersign.policy.Policy;
import dev.countersign.policy.SlackRoute;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * Turns domain events into planned Slack messages, in the transaction that published the event:
 * the notify job's claim of its notice and the rows saying what to post commit together, so a
 * job that fails posts nothing and one that succeeds cannot lose its messages. Posting itself
 * happens after commit ({@link SlackDelivery}), never inside a database transaction.
 */
@Component
@ConditionalOnSlack
class SlackPlanner {

    private static final Logger log = LoggerFactory.getLogger(SlackPlanner.class);

    private final SlackPosts posts;
    private final SlackDelivery delivery;
    private final SlackProperties properties;
    private final Policy policy;
    private final Callers callers;
    private final Approvals approvals;
    private final Clock clock;

    SlackPlanner(SlackPosts posts, SlackDelivery delivery, SlackProperties properties, Policy policy, Callers callers,
                 Approvals approvals, Clock clock) {
        this.posts = posts;
        this.delivery = delivery;
        this.properties = properties;
        this.policy = policy;
        this.callers = callers;
        this.approvals = approvals;
        this.clock = clock;
    }

    @EventListener
    void approvalRequested(ApprovalRequested event) {
        ActionRequest request = event.request();
        List<String> targets = targets(request);
        if (targets.isEmpty()) {
            log.warn("Slack: request {} under rule '{}' has no channel and no approver to DM; set countersign.slack.default-channel"
                    + " or the rule's slack.channel", request.id(), request.decision().rule());
        }
        targets.forEach(target -> posts.plan(request.id(), Kind.APPROVAL, target, clock.instant()));
        deliverAfterCommit();
    }

    @EventListener
    void reminderDue(ApprovalReminderDue event) {
        String id = event.request().id();
        posts.forRequest(id).stream().filter(post -> post.kind() == Kind.APPROVAL)
                .forEach(post -> posts.plan(id, Kind.REMINDER, post.target(), clock.instant()));
        deliverAfterCommit();
    }

    @EventListener
    void voteCast(VoteCast event) {
        posts.changed(event.requestId(), clock.instant());
        deliverAfterCommit();
    }

    @EventListener
    void decided(ActionDecided event) {
        posts.changed(event.requestId(), clock.instant());
        deliverAfterCommit();
    }

    /** Each approver who gave it hears, by DM, that their standing approval no longer stands, and why. */
    @EventListener
    void standingEnded(dev.countersign.actions.StandingApprovalEnded ended) {
        ended.approvedBy().forEach(approver -> posts.plan(ended.requestId(), Kind.STANDING, "dm:" + approver, clock.instant()));
        deliverAfterCommit();
    }

    private List<String> targets(ActionRequest request) {
        SlackRoute route = policy.slackRoute(request.decision().rule()).orElse(null);
        String channel = route != null && route.channel() != null ? route.channel() : properties.defaultChannel();
        boolean dm = route != null && route.dmApprovers() || properties.dmApprovers();
        List<String> targets = new ArrayList<>();
        if (channel != null && !channel.isBlank()) {
            targets.add(channel);
        }
        if (dm) {
            // Only those who could vote now: not the subject, not an approver outside the rule.
            callers.approversHolding(request.approval().approvers()).stream()
                    .filter(approver -> approvals.whyNot(approver, request).isEmpty())
                    .forEach(approver -> targets.add("dm:" + approver.id()));
        }
        return targets;
    }

    private void deliverAfterCommit() {
        if (TransactionSynchronizationManager.isSynchronizationActive()) {
            TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
                @Override
                public void afterCommit() {
                    delivery.kick();
                }
            });
        } else {
            delivery.kick();
        }
    }
}
