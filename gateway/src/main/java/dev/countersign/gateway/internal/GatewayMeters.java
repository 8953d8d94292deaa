package dev.countersign.gateway.internal;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import org.springframework.stereotype.Component;

/**
 * The gateway's service-level indicators (docs/operations.md, "Metrics"): tool calls by upstream and outcome, the time
 * the upstream took, and the time Countersign added in front of a call that ran at once. Labels are configured upstream
 * names and a fixed set of outcomes, never a tool's arguments or a request id.
 */
@Component
class GatewayMeters {

    /** What became of one {@code tools/call}, filled in as it goes (one per call, never shared between threads). */
    static final class Call {
        private final long startedNanos = System.nanoTime();
        private String upstream = "none";
        private String outcome = "refused";
        private long upstreamNanos = -1;

        void routedTo(String name) {
            upstream = name;
        }

        void ended(String what) {
            outcome = what;
        }

        void upstreamTook(long nanos) {
            upstreamNanos = nanos;
        }

        boolean ranHere() {
            return upstreamNanos >= 0;
        }
    }

    private final MeterRegistry meters;

    GatewayMeters(MeterRegistry meters) {
        this.meters = meters;
    }

    /**
     * Counts the call; for one that ran upstream without waiting for people ({@code waited} false), records the time
     * Countersign added: everything but the upstream's own time.
     */
    void record(Call call, boolean waited) {
        Counter.builder("countersign.gateway.calls").description("tools/call through the gateway, by upstream and outcome")
                .tag("upstream", call.upstream).tag("outcome", call.outcome).register(meters).increment();
        if (call.ranHere()) {
            Timer.builder("countersign.gateway.upstream.time").description("How long the upstream MCP server took to answer a forwarded call")
                    .tag("upstream", call.upstream).publishPercentileHistogram().register(meters)
                    .record(Duration.ofNanos(call.upstreamNanos));
            if (!waited) {
                Timer.builder("countersign.gateway.added.time")
                        .description("Time the gateway added to a call that ran at once (ask, policy, grant), the upstream's own excluded")
                        .tag("upstream", call.upstream).publishPercentileHistogram()
                        .minimumExpectedValue(Duration.ofMillis(1)).maximumExpectedValue(Duration.ofSeconds(10)).register(meters)
                        .record(Duration.ofNanos(Math.max(0, System.nanoTime() - call.startedNanos - call.upstreamNanos)));
            }
        }
    }
}
