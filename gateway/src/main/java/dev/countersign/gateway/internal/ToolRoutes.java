package dev.countersign.gateway.internal;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.stereotype.Component;

/** Which upstream serves each gateway tool ({@code <server>.<tool>}), as the upstreams last listed them. */
@Component
class ToolRoutes {

    record Route(Upstream upstream, String upstreamTool) {
    }

    private final Map<String, Route> routes = new ConcurrentHashMap<>();

    Optional<Route> route(String gatewayTool) {
        return Optional.ofNullable(routes.get(gatewayTool));
    }

    void put(String gatewayTool, Route route) {
        routes.put(gatewayTool, route);
    }

    void remove(String gatewayTool) {
        routes.remove(gatewayTool);
    }

    /** {@code fs.write_file} for the upstream {@code fs}'s {@code write_file}. */
    static String gatewayName(String server, String upstreamTool) {
        return server + "." + upstreamTool;
    }
}
