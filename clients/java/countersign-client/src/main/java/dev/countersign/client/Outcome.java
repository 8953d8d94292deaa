package dev.countersign.client;

/** How a guarded call ended: it ran with a redeemed grant, it was refused, or people had not decided by the deadline. */
public sealed interface Outcome<T> {

    /** The request it ran under. */
    ActionRequest request();

    record Ran<T>(ActionRequest request, T result) implements Outcome<T> {
    }

    /**
     * Not run. {@code reason} is Countersign's (the rule's reason, a refusal's code) and is worded for people: hand it to
     * the model so that it can explain. {@code status} is DENIED, EXPIRED, CANCELLED, or REFUSED when the grant was
     * refused at redemption ({@code code} says why: grant_invalid for other arguments, grant_already_redeemed when the
     * approved call already ran once).
     */
    record Refused<T>(ActionRequest request, String status, String code, String reason) implements Outcome<T> {
    }

    /** Still PENDING at the deadline: nothing ran; asking again with the same call id joins the same request. */
    record StillPending<T>(ActionRequest request) implements Outcome<T> {
    }

    /** For a model: the tool's result when it ran, else one line saying why not. */
    static String forModel(Outcome<String> outcome) {
        return outcome instanceof Ran<String> ran ? ran.result() : outcome.describe();
    }

    /** For a model: one line saying what happened, with the request id an operator can look up. */
    default String describe() {
        return switch (this) {
            case Ran<T> ran -> "Ran under Countersign request " + ran.request().id();
            case Refused<T> refused -> "Not run: Countersign " + refused.status() + (refused.code() == null ? "" : " (" + refused.code() + ")")
                    + " - " + refused.reason() + " [request " + refused.request().id() + "]";
            case StillPending<T> pending -> "Not run yet: waiting for people to approve Countersign request " + pending.request().id()
                    + "; try again later with the same arguments and it will pick up their decision";
        };
    }
}
