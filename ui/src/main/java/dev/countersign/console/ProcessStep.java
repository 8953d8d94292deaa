package dev.countersign.console;

import dev.countersign.actions.ActionRequest;
import dev.countersign.actions.ActionStatus;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/**
 * Where a request stands in the built-in guarded-action process (bpmn/…/guarded-action.bpmn), told from the request and
 * its audit trail, so the drawing is the same on embedded Flowable and on a Camunda 8 cluster: the element to mark as
 * current, the ones already done, and a sentence. A request decided on arrival ran no process.
 */
record ProcessStep(String current, List<String> done, String text) {

    /** The model's element ids, as the drawing knows them. */
    static final String NOTIFY = "notify";
    static final String WAITING = "decided";
    static final String REMIND = "remind";
    static final String CLOSED = "closed";
    static final String EXPIRED = "expired";
    static final String START = "requested";

    static Optional<ProcessStep> of(ActionRequest request, Collection<String> auditTypes) {
        if (request.approval() == null) {
            return Optional.empty();
        }
        boolean notified = auditTypes.contains("approvers.notified");
        boolean reminded = auditTypes.contains("approvers.reminded");
        List<String> done = new java.util.ArrayList<>(List.of(START));
        if (notified) {
            done.add(NOTIFY);
        }
        if (reminded) {
            done.add(REMIND);
        }
        if (request.status() == ActionStatus.PENDING) {
            return Optional.of(notified
                    ? new ProcessStep(WAITING, done, "Waiting for a decision" + (reminded ? " (approvers were reminded)" : ""))
                    : new ProcessStep(NOTIFY, done, "Notifying approvers"));
        }
        if (request.status() == ActionStatus.EXPIRED) {
            return Optional.of(new ProcessStep(EXPIRED, done, "Expired: nobody decided in time"));
        }
        done.add(WAITING);
        return Optional.of(new ProcessStep(CLOSED, done, "Decided: " + request.status().name().toLowerCase(java.util.Locale.ROOT)));
    }
}
