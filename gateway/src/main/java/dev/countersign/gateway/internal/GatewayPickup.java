package dev.countersign.gateway.internal;

import dev.countersign.common.AfterCommit;
import org.springframework.context.event.EventListener;
import dev.countersign.actions.ActionDecided;
import dev.countersign.actions.ActionRequest;
import dev.countersign.actions.ActionStatus;
import dev.countersign.actions.AgentAsks;
import dev.countersign.identity.Callers;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Carries out an approval given while no call waits for it. Humans decide in minutes or hours;
 * clients give up after seconds, and an instance may stop in between. Whatever became of the call
 * that asked, the instance that records the approval runs it at once, and every instance looks every
 * {@code pickup-every} for approvals of gateway calls not yet run (an instance that stopped between
 * approval and run). The grant's single redemption makes it one run however many try; its outcome is
 * kept ({@link GatewayOutcomes}) for the agent's next call.
 */
@Component
class GatewayPickup implements DisposableBean {

    private static final Logger log = LoggerFactory.getLogger(GatewayPickup.class);
    /** Longer than any approval's expiry plus its grant's lifetime: older rows can run nothing. */
    private static final Duration LOOK_BACK = Duration.ofDays(2);

    private final GatewayCallLog callLog;
    private final GatewayCalls calls;
    private final GatewayOutcomes outcomes;
    private final AgentAsks asks;
    private final Callers callers;
    private final Clock clock;
    private final ExecutorService runners = Executors.newVirtualThreadPerTaskExecutor();

    GatewayPickup(GatewayCallLog callLog, GatewayCalls calls, GatewayOutcomes outcomes, AgentAsks asks, Callers callers, Clock clock) {
        this.callLog = callLog;
        this.calls = calls;
        this.outcomes = outcomes;
        this.asks = asks;
        this.callers = callers;
        this.clock = clock;
    }

    /** People decided a request: if a gateway call asked for it, carry out an approval now (after the decision commits). */
    @EventListener
    void decided(ActionDecided decided) {
        if (decided.awaitedApproval()) {
            AfterCommit.react(() -> {
                if (!runners.isShutdown()) {
                    runners.execute(() -> pickUp(new GatewayCallLog.Asked(decided.requestId(), decided.agent()), decided.status()));
                }
            });
        }
    }

    @Scheduled(fixedDelayString = "${countersign.gateway.pickup-every:30s}", initialDelayString = "${countersign.gateway.pickup-every:30s}")
    void sweep() {
        callLog.unsettled(clock.instant().minus(LOOK_BACK), 100).forEach(asked -> runners.execute(() -> pickUp(asked, null)));
    }

    private void pickUp(GatewayCallLog.Asked asked, ActionStatus known) {
        try {
            if (known != null && known != ActionStatus.APPROVED) {
                return; // nothing to run; the sweep settles it
            }
            if (!callLog.isGatewayCall(asked.requestId())) {
                return; // asked through the API: the agent redeems its own grant
            }
            var agent = callers.agent(asked.agentId());
            if (agent.isEmpty()) {
                callLog.settled(asked.requestId());
                return;
            }
            ActionRequest request = asks.await(agent.get(), asked.requestId(), Duration.ZERO).join();
            switch (request.status()) {
                case PENDING -> { }
                case APPROVED -> {
                    if (request.approval() != null && request.approval().held()) {
                        // onApproval: hold. Runs when the agent calls again (the call joins this approval), not now.
                        callLog.settled(request.id());
                        return;
                    }
                    boolean grantHolds = request.grant() != null && request.grant().expiresAt().isAfter(clock.instant());
                    if (grantHolds && outcomes.of(request.id()).isEmpty()) {
                        calls.runApproved(agent.get(), request);
                    }
                    if (!grantHolds || outcomes.of(request.id()).isPresent()) {
                        callLog.settled(request.id());
                    }
                }
                default -> callLog.settled(request.id());
            }
        } catch (RuntimeException e) {
            // The database or the upstream away for a moment: the next sweep tries again.
            log.warn("Could not carry out the approved gateway call {} yet: {}", asked.requestId(), e.getMessage());
        }
    }

    @Override
    public void destroy() {
        runners.shutdownNow();
    }
}
