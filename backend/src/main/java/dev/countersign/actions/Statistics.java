package dev.countersign.actions;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;

/** How decisions go, for admins: read from the requests and votes tables, over a period that ends now. */
public interface Statistics {

    Summary since(Instant since);

    /**
     * @param timeToDecision     per rule, how long people took to decide (asked → decided), requests people decided only
     * @param requestsPerDay     per rule and day (UTC), every request asked
     * @param expiriesPerDay     per day (UTC), requests nobody decided in time
     * @param decisionsPerApprover per approver, the votes cast
     */
    record Summary(List<RuleTimes> timeToDecision, List<RuleDay> requestsPerDay, List<Day> expiriesPerDay,
                   List<ApproverVotes> decisionsPerApprover) {
    }

    record RuleTimes(String rule, long decided, Duration p50, Duration p95) {
    }

    record RuleDay(String rule, LocalDate day, long requests) {
    }

    record Day(LocalDate day, long count) {
    }

    record ApproverVotes(String approver, long approvals, long denials) {
    }
}
