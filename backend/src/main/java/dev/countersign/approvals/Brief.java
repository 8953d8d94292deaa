package dev.countersign.approvals;

import dev.countersign.actions.ActionRequest;
import dev.countersign.actions.Insights;
import java.time.Duration;
import java.util.List;

/**
 * What an approver needs beside the request itself to decide in seconds, the same in the console and in Slack:
 * what a call of the tool does (the catalog's words), what is unusual about this one, whether its rule needs a fresh
 * sign-in ({@code stepUp}, null when not), and whether look-alike asks may be approved together.
 */
public record Brief(String description, List<Insights.Unusual> unusual, Duration stepUp, boolean groupApproval) {

    public Brief {
        unusual = List.copyOf(unusual);
    }

    /** "prod" (or "production") is where the harm is real: both channels mark it. */
    public static boolean isProduction(ActionRequest request) {
        return request.environment() != null && request.environment().toLowerCase(java.util.Locale.ROOT).startsWith("prod");
    }

    /** The environment as both channels write it: "prod (PRODUCTION)", or as derived. */
    public static String environment(ActionRequest request) {
        return isProduction(request) ? request.environment() + " (PRODUCTION)" : request.environment();
    }

    /** The short marks the inbox and Slack show for a request: production, a changed runtime, each unusual thing. */
    public List<String> marks(ActionRequest request) {
        var marks = new java.util.ArrayList<String>();
        if (isProduction(request)) {
            marks.add("PROD");
        }
        unusual.forEach(u -> marks.add(u.code().replace('_', ' ')));
        if (stepUp != null) {
            marks.add("step-up");
        }
        return List.copyOf(marks);
    }
}
