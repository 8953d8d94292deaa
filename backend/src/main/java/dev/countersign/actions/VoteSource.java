package dev.countersign.actions;

import java.util.List;

/**
 * Where a request's votes are read from when it is shown. The approvals module owns and counts
 * votes; it implements this so that the actions module can show them without depending on it.
 */
public interface VoteSource {

    /** The votes cast on the request, oldest first. */
    List<ActionRequest.VoteView> votesOn(String requestId);
}
