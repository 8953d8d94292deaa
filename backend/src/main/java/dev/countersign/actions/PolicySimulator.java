package dev.countersign.actions;

import java.util.List;

/**
 * A dry run: the requests of the last days asked again under a draft policy and/or catalog,
 * without deciding anything. What admins look at before they activate a version.
 */
public interface PolicySimulator {

    /**
     * @param policyDraft  the draft policy, or null for the policy in force
     * @param catalogDraft the draft catalog, or null for the catalog in force
     * @param days         how far back to look (1–90)
     */
    Simulation simulate(String policyDraft, String catalogDraft, int days);

    /**
     * What would change. {@code examined} requests were asked again; {@code changed} of them would
     * be decided by another rule or with another effect ({@code refused} by the catalog included).
     * {@code truncated}: more requests were in the window than were examined (the newest are).
     */
    record Simulation(int days, int examined, int changed, boolean truncated, List<Change> changes, String note) {
    }

    /** One kind of change, with how many requests it hits and a few of them. */
    record Change(Outcome was, Outcome wouldBe, int count, List<String> examples) {
    }

    /** A rule and its effect ({@code allow}, {@code deny}, {@code approve}), or {@code refused} with the catalog's code as the rule. */
    record Outcome(String rule, String effect) {
    }
}
