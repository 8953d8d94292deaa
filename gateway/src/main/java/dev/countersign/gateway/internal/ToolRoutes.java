package dev.countersign.gateway.internal;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.stereotype.Component;

/**
 * Which upstream serves each gateway tool, as the upstreams last listed them, by the name agents
 * call it ({@code fs__write_file}, {@link ListedNames}); each route knows the catalog's name
 * ({@code fs.write_file}), which is what asks, policy and approvers use.
 */
@Component
class ToolRoutes {

    record Route(Upstream upstream, String upstreamTool, String catalogName) {
    }

    private final Map<String, Route> routes = new ConcurrentHashMap<>();
    private final Map<String, Route> byCatalogName = new ConcurrentHashMap<>();

    Optional<Route> route(String listedName) {
        return Optional.ofNullable(routes.get(listedName));
    }

    /** The route by the catalog's name: what an approved request names. */
    Optional<Route> byCatalogName(String catalogName) {
        return Optional.ofNullable(byCatalogName.get(catalogName));
    }

    /** False when another catalog name already has this listed name (it stays with that one). */
    synchronized boolean put(String listedName, Route route) {
        Route had = routes.get(listedName);
        if (had != null && !had.catalogName().equals(route.catalogName())) {
            return false;
        }
        routes.put(listedName, route);
        byCatalogName.put(route.catalogName(), route);
        return true;
    }

    synchronized void remove(String listedName) {
        Route gone = routes.remove(listedName);
        if (gone != null) {
            byCatalogName.remove(gone.catalogName(), gone);
        }
    }

    /** {@code fs.write_file} for the upstream {@code fs}'s {@code write_file}: the name in the catalog and in policy. */
    static String catalogName(String server, String upstreamTool) {
        return server + "." + upstreamTool;
    }
}
