package dev.countersign.actions;

import dev.countersign.identity.Caller;
import java.util.List;

/** Standing approvals for the people who gave them and may end them (API and console). */
public interface StandingApprovals {

    /** Those of rules this approver may approve under (all of them for an admin), newest first. */
    List<StandingApproval> visibleTo(Caller.Approver approver, boolean activeOnly);

    /** The one the approval of this request gave, as it stands now. */
    java.util.Optional<StandingApproval> givenWith(String requestId);

    /** Ends it now; any approver of its rule may, at any time. Refusals are API problems with the contract's codes. */
    StandingApproval revoke(Caller.Approver approver, String id, String comment);
}
