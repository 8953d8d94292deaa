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
        return request.amount() == null ? "" : request.amount().text();
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
