package dev.countersign.identity;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * Reads what a token says about delegation: the nested {@code act} claims of RFC 8693 (the
 * outermost names the party acting now, each nested one the party before it) and the
 * {@code tool:} scopes a token was narrowed to ({@code scope: "tool:payments.transfer"}; other
 * scope values are the issuer's own and mean nothing here).
 */
public final class DelegationClaims {

    public static final String ACT = "act";
    public static final String TOOL_SCOPE = "tool:";
    /** Deeper nesting than any accepted chain: read no further, the chain is refused as too long anyway. */
    private static final int MOST_READ = 16;

    private DelegationClaims() {
    }

    /** The actors of an {@code act} claim, outermost (acting now) first; empty when there is none. */
    public static List<String> actors(Object act) {
        List<String> actors = new ArrayList<>();
        Object at = act;
        while (at instanceof Map<?, ?> claim && actors.size() < MOST_READ) {
            Object subject = claim.get("sub");
            if (!(subject instanceof String id) || id.isBlank()) {
                // An act without a subject names nobody: the chain cannot be read, and an unreadable chain is no chain
                // anyone may act on. The caller sees an actor it cannot register and refuses the token.
                actors.add("(unnamed actor)");
                break;
            }
            actors.add(id);
            at = claim.get(ACT);
        }
        return actors;
    }

    /** The tool globs of a token's {@code tool:} scopes, in a {@code scope} string or list; empty when none. */
    public static List<String> toolScopes(Object scope) {
        Collection<?> values = scope instanceof String text ? Arrays.asList(text.trim().split("\\s+"))
                : scope instanceof Collection<?> list ? list : List.of();
        return values.stream().map(String::valueOf).filter(value -> value.startsWith(TOOL_SCOPE) && value.length() > TOOL_SCOPE.length())
                .map(value -> value.substring(TOOL_SCOPE.length())).toList();
    }
}
