package dev.countersign.actions;

import java.util.Optional;

/**
 * Where the grant of an approved request is read from when its agent reads the request. The
 * grants module issues grants (reacting to {@link ActionDecided}) and implements this.
 */
public interface GrantSource {

    Optional<ActionRequest.Grant> grantOf(String requestId);
}
