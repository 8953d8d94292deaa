package dev.countersign.notifications.slack;

import dev.countersign.actions.ActionRequests;
import dev.countersign.actions.ActionStatus;
import dev.countersign.actions.ActionRequest;
import dev.countersign.identity.Callers;
import dev.countersign.notifications.slack.SlackPost.Kind;
import dev.countersign.notifications.slack.SlackPost.State;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Posts planned messages and keeps posted ones true, outside any database transaction. Each row
 * is claimed by a conditional update before its Web API call and recorded after it, so another
 * instance or a later sweep never repeats a finished step. Rate limits wait {@code Retry-After};
 * transient failures back off exponentially; a permanent refusal is recorded once and left alone.
 * Nothing here can hold up a decision: decisions only bump a version number.
 *
 * <p>The one window left: a crash after Slack accepted {@code chat.postMessage} and before the
 * row says so. The claim's lease then expires and the message is posted again, because a second
 * message (which still works, and is never updated) is better than an approver never asked.
 */
@Component
@ConditionalOnSlack
class SlackDelivery {

    private static final Logger log = LoggerFactory.getLogger(SlackDelivery.class);
    private static final Duration LEASE = Duration.ofSeconds(30);
    private static final Duration MAX_BACKOFF = Duration.ofMinutes(5);

    private final SlackPosts posts;
    private final SlackWebApi slack;
    private final SlackDirectory directory;
    private final ActionRequests actions;
    private final Callers callers;
    private final SlackProperties properties;
    private final Clock clock;
    private final dev.countersign.actions.StandingApprovals standingApprovals;
    private final AtomicBoolean running = new AtomicBoolean();
    private final AtomicBoolean again = new AtomicBoolean();

    private final dev.countersign.approvals.Approvals approvals;
    private final io.micrometer.core.instrument.MeterRegistry meters;

    SlackDelivery(SlackPosts posts, SlackWebApi slack, SlackDirectory directory, ActionRequests actions, Callers callers,
                  SlackProperties properties, Clock clock, dev.countersign.actions.StandingApprovals standingApprovals,
                  dev.countersign.approvals.Approvals approvals, io.micrometer.core.instrument.MeterRegistry meters) {
        this.meters = meters;
        this.approvals = approvals;
        this.standingApprovals = standingApprovals;
        this.posts = posts;
        this.slack = slack;
        this.directory = directory;
        this.actions = actions;
        this.callers = callers;
        this.properties = properties;
        this.clock = clock;
    }

    /** Work through what is due now, on a virtual thread; one run at a time per instance, and none is missed. */
    void kick() {
        again.set(true);
        if (running.compareAndSet(false, true)) {
            Thread.ofVirtual().name("slack-delivery").start(this::drain);
        }
    }

    @Scheduled(fixedDelayString = "${countersign.slack.sweep-interval:1s}")
    void sweep() {
        kick();
    }

    private void drain() {
        try {
            while (again.getAndSet(false)) {
                List<SlackPost> due;
                while (!(due = posts.due(clock.instant(), 50)).isEmpty()) {
                    boolean progressed = false;
                    for (SlackPost post : due) {
                        progressed |= deliver(post);
                    }
                    if (!progressed) {
                        break;
                    }
                }
            }
        } catch (RuntimeException e) {
            log.warn("Slack delivery stopped for now (retried within {}): {}", properties.sweepInterval(), e.toString());
        } finally {
            running.set(false);
            if (again.get() && running.compareAndSet(false, true)) {
                Thread.ofVirtual().name("slack-delivery").start(this::drain);
            }
        }
    }

    /** One row's next step; {@code false} when another worker had it. */
    boolean deliver(SlackPost post) {
        Instant now = clock.instant();
        if (post.needsUpdate()) {
            return posts.claimUpdate(post, now, now.plus(LEASE)) && update(post);
        }
        return posts.claimPost(post, now, now.plus(LEASE)) && switch (post.kind()) {
            case APPROVAL -> post(post);
            case REMINDER -> remind(post);
            case STANDING -> standingEnded(post);
        };
    }

    private boolean post(SlackPost post) {
        ActionRequest request = actions.find(post.requestId()).orElseThrow();
        if (request.status() != ActionStatus.PENDING) {
            posts.skipped(post, "decided (" + request.status() + ") before it was posted", clock.instant());
            return true;
        }
        String channel = channelFor(post);
        if (channel == null) {
            String why = "no Slack user found for approver '" + post.approverOfDm()
                    + "' (their e-mail is not in Slack; map them in countersign.slack.users)";
            log.warn("Slack: not posting {} to {}: {}", post.requestId(), post.target(), why);
            posts.failed(post, why, clock.instant());
            return true;
        }
        SlackCall call = slack.postMessage(channel, null, ApprovalMessage.fallback(request), blocks(request));
        return record(post, call, ok -> posts.posted(post, ok.channel(), ok.ts(), post.wantedVersion(), clock.instant()));
    }

    private boolean update(SlackPost post) {
        ActionRequest request = actions.find(post.requestId()).orElseThrow();
        SlackCall call = slack.update(post.channelId(), post.ts(), ApprovalMessage.fallback(request), blocks(request));
        return record(post, call, ok -> posts.shown(post, post.wantedVersion(), clock.instant()));
    }

    /** The message as the request stands now, with its earlier decisions. */
    private java.util.List<com.slack.api.model.block.LayoutBlock> blocks(ActionRequest request) {
        return ApprovalMessage.blocks(request, actions.history(request.actionHash(), request.id(), 5), properties.consoleUrl(),
                approvals.brief(request));
    }

    private boolean standingEnded(SlackPost post) {
        var standing = standingApprovals.givenWith(post.requestId()).orElse(null);
        String channel = channelFor(post);
        if (standing == null || channel == null) {
            posts.failed(post, standing == null ? "no standing approval was given with " + post.requestId()
                    : "no Slack user found for approver '" + post.approverOfDm() + "'", clock.instant());
            return true;
        }
        SlackCall call = slack.postMessage(channel, null, ApprovalMessage.standingEnded(standing), null);
        return record(post, call, ok -> posts.posted(post, ok.channel(), ok.ts(), post.wantedVersion(), clock.instant()));
    }

    private boolean remind(SlackPost post) {
        ActionRequest request = actions.find(post.requestId()).orElseThrow();
        var parent = posts.find(post.requestId(), Kind.APPROVAL, post.target()).orElse(null);
        Instant now = clock.instant();
        if (request.status() != ActionStatus.PENDING) {
            posts.skipped(post, "decided before the reminder was posted", now);
            return true;
        }
        if (parent == null || Set.of(State.FAILED, State.SKIPPED).contains(parent.state())) {
            posts.skipped(post, "the approval message was never posted", now);
            return true;
        }
        if (parent.state() != State.POSTED) {
            posts.retryAt(post, now.plusSeconds(1), "waiting for the approval message", now);
            return true;
        }
        SlackCall call = slack.postMessage(parent.channelId(), parent.ts(), ApprovalMessage.reminder(request), null);
        return record(post, call, ok -> posts.posted(post, ok.channel(), ok.ts(), post.wantedVersion(), clock.instant()));
    }

    private boolean record(SlackPost post, SlackCall call, java.util.function.Consumer<SlackCall.Ok> ok) {
        Instant now = clock.instant();
        switch (call) {
            case SlackCall.Ok done -> {
                counted(post, "delivered");
                ok.accept(done);
            }
            case SlackCall.Retry retry when post.attempts() + 1 >= properties.maxAttempts() -> {
                counted(post, "gave_up");
                log.warn("Slack: giving up on {} {} to {} after {} attempts: {}", post.kind(), post.requestId(), post.target(),
                        post.attempts() + 1, retry.why());
                posts.failed(post, "gave up after " + (post.attempts() + 1) + " attempts: " + retry.why(), now);
            }
            case SlackCall.Retry retry -> {
                counted(post, "retrying");
                posts.retryAt(post, now.plus(backoff(post, retry)), retry.why(), now);
            }
            case SlackCall.Failed failed -> {
                counted(post, "refused");
                log.warn("Slack refused {} {} to {}: {} (not retried; see the request in the console)", post.kind(), post.requestId(),
                        post.target(), failed.error());
                posts.failed(post, failed.error(), now);
            }
        }
        return true;
    }

    /** {@code countersign.slack.deliveries}: each call to Slack's Web API, by what it was for and how it went. */
    private void counted(SlackPost post, String outcome) {
        io.micrometer.core.instrument.Counter.builder("countersign.slack.deliveries")
                .description("Calls to Slack's Web API, by kind (post, update, reminder...) and outcome (delivered, retrying, gave_up, refused)")
                .tag("kind", String.valueOf(post.kind()).toLowerCase(java.util.Locale.ROOT)).tag("outcome", outcome)
                .register(meters).increment();
    }

    private static Duration backoff(SlackPost post, SlackCall.Retry retry) {
        if (retry.after() != null) {
            return retry.after();
        }
        Duration exponential = Duration.ofMillis(500L << Math.min(post.attempts(), 10));
        return exponential.compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : exponential;
    }

    private String channelFor(SlackPost post) {
        String approver = post.approverOfDm();
        if (approver == null) {
            return post.target();
        }
        // chat.postMessage to a user id posts in the bot's DM with them.
        return directory.slackIdOf(callers.approver(approver, null, Set.of())).orElse(null);
    }
}
