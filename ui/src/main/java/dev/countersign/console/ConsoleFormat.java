package dev.countersign.console;

import dev.countersign.actions.ActionRequest;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/** How the console writes times, amounts and durations, the same on every view. */
final class ConsoleFormat {

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'").withZone(ZoneOffset.UTC);

    private ConsoleFormat() {
    }

    static String time(Instant at) {
        return at == null ? "" : TIME.format(at);
    }

    static String amount(ActionRequest request) {
        return request.amount() == null ? "" : request.amount().display();
    }

    /**
     * What will happen, in one sentence from the catalog's facts (never the agent's declarations): "Pay 1,250.00 EUR to
     * acct-vendor-17 from acct-ops, in prod".
     */
    static String sentence(ActionRequest r) {
        var text = new StringBuilder();
        if (r.amount() != null) {
            text.append(r.amount().display());
            if (r.payee() != null) {
                text.append(" to ").append(r.payee());
            }
            if (r.resource() != null) {
                text.append(" from ").append(r.resource());
            }
        } else if (r.resource() != null) {
            text.append("On ").append(r.resource());
            if (r.payee() != null) {
                text.append(", to ").append(r.payee());
            }
        } else {
            text.append("Runs ").append(r.tool());
        }
        if (r.environment() != null) {
            text.append(", in ").append(r.environment());
        }
        if (r.dataClassification() != null) {
            text.append(" · data ").append(r.dataClassification());
        }
        return text.toString();
    }

    /** "in 12 min", "in 3 h 5 min", "expired". */
    static String timeLeft(Instant until, Instant now) {
        if (until == null) {
            return "";
        }
        Duration left = Duration.between(now, until);
        return left.isNegative() || left.isZero() ? "expired" : "in " + duration(left);
    }

    /** "4 min ago". */
    static String age(Instant since, Instant now) {
        return since == null ? "" : duration(Duration.between(since, now)) + " ago";
    }

    static String duration(Duration d) {
        long minutes = d.toMinutes();
        if (minutes < 1) {
            return Math.max(0, d.toSeconds()) + " s";
        }
        if (minutes < 60) {
            return minutes + " min";
        }
        long hours = d.toHours();
        return hours < 48 ? hours + " h " + (minutes % 60) + " min" : d.toDays() + " days";
    }
}
