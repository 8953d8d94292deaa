package dev.countersign.gateway;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code countersign.gateway}: the upstream MCP servers, each by the name its tools are listed
 * under: {@code <server>.<tool>} in the catalog and policy,
 * {@code <server>__<tool>} to agents.
 *
 * @param servers          upstream servers by name (letters, digits, {@code _} and {@code -}; no dots)
 * @param gatewayId        who redeems grants and forwards calls, in the audit log
 * @param progressInterval how often a waiting call tells its client where the approval stands
 * @param reconnect        how long after a failure an upstream is tried again
 * @param upstreamTimeout  how long a forwarded call (and an upstream's start-up) may take
 * @param allowedOrigins   browser origins ({@code https://inspector.example.com}) whose pages may call {@code /mcp}; a
 *                         request with any other {@code Origin} is refused (DNS rebinding). Clients that are not
 *                         browsers send none and are not affected
 * @param sessionIdleTimeout how long an MCP session with no request and no open stream is kept; clients that vanish
 *                         without {@code DELETE} (most do) leave nothing behind after between one and two of these
 * @param toolNameSeparator what joins server and tool in the names agents see ({@code fs__write_file}): names that
 *                         model APIs accept ({@code ^[a-zA-Z0-9_-]{1,64}$}); the catalog and policy say {@code fs.write_file}
 */
@ConfigurationProperties("countersign.gateway")
public record GatewayProperties(
        Map<String, Server> servers,
        @DefaultValue("mcp-gateway") String gatewayId,
        @DefaultValue("5s") Duration progressInterval,
        @DefaultValue("5s") Duration reconnect,
        @DefaultValue("60s") Duration upstreamTimeout,
        List<String> allowedOrigins,
        @DefaultValue("10m") Duration sessionIdleTimeout,
        @DefaultValue("__") String toolNameSeparator) {

    public GatewayProperties {
        allowedOrigins = allowedOrigins == null ? List.of() : List.copyOf(allowedOrigins);
        servers = servers == null ? Map.of() : Map.copyOf(servers);
        if (!toolNameSeparator.matches("[A-Za-z0-9_-]{1,4}")) {
            throw new IllegalStateException("countersign.gateway.tool-name-separator: 1-4 letters, digits, _ or - (model APIs "
                    + "accept nothing else in a function name), not '" + toolNameSeparator + "'");
        }
        servers.keySet().forEach(name -> {
            if (!name.matches("[A-Za-z0-9_-]{1,64}")) {
                throw new IllegalStateException("countersign.gateway.servers." + name + ": a server name is 1-64 letters, digits, _ or - "
                        + "(no dots: its tools are listed as <server>.<tool>)");
            }
        });
    }

    /**
     * One upstream: either a local process speaking stdio ({@code command}, {@code args},
     * {@code env}) or a Streamable HTTP endpoint ({@code url}, {@code headers}).
     */
    public record Server(String command, List<String> args, Map<String, String> env, URI url, Map<String, String> headers) {

        public Server {
            args = args == null ? List.of() : List.copyOf(args);
            env = env == null ? Map.of() : Map.copyOf(env);
            headers = headers == null ? Map.of() : Map.copyOf(headers);
            if ((command == null || command.isBlank()) == (url == null)) {
                throw new IllegalStateException("An upstream MCP server needs either command (stdio) or url (Streamable HTTP), not both");
            }
        }

        public boolean isStdio() {
            return command != null && !command.isBlank();
        }
    }
}
