package dev.countersign.identity;

import java.util.Collection;
import java.util.List;
import java.util.stream.Stream;

/**
 * A console user's authorities from their groups: {@code GROUP_x} for what Countersign checks,
 * and {@code ROLE_x} so that views can say {@code @RolesAllowed("admin")}. Form login and OIDC
 * login both build them here, so a view is guarded the same way whichever way people sign in.
 */
public final class ConsoleAuthorities {

    private ConsoleAuthorities() {
    }

    public static List<String> of(Collection<String> groups) {
        return groups.stream().flatMap(group -> Stream.of("GROUP_" + group, "ROLE_" + group)).sorted().toList();
    }
}
