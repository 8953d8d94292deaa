package dev.countersign.notifications;

import java.util.List;

/** What became of the messages sent about a request, for the console: who was told, and what failed. */
public interface Deliveries {

    List<Delivery> of(String requestId);

    /**
     * One message: {@code channel} ("slack"), {@code target} (#channel or dm:approver), {@code kind}
     * (approval, reminder), {@code state} (pending, posted, failed, skipped) and the last error.
     */
    record Delivery(String channel, String target, String kind, String state, String error) {

        public boolean failed() {
            return "failed".equals(state);
        }

        /** One line for people: "Slack #finance-approvals: posted", "Slack dm:bob: failed (channel_not_found)". */
        public String describe() {
            return "Slack " + target + (kind.equals("approval") ? "" : " (" + kind + ")") + ": " + state
                    + (error == null || !failed() ? "" : " (" + error + ")");
        }
    }
}
