package dev.countersign.gateway.internal;

import dev.countersign.actions.ActionRequest;
import dev.countersign.actions.ActionRequestsPurged;
import dev.countersign.common.ModuleMigrations;
import io.modelcontextprotocol.json.McpJsonMapper;
import io.modelcontextprotocol.spec.McpSchema;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.event.EventListener;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * The outcome of each approved call the gateway ran (the upstream's result, or its error), kept in
 * the database for the agent that asked: whoever calls the same action again within the replay
 * window gets it, on any instance, however long after the first caller gave up. Results are kept
 * up to {@link #MAX_RESULT_CHARS} of JSON; a larger one keeps its text, cut to that size, and says so.
 */
@Component
class GatewayOutcomes {

    static final int MAX_RESULT_CHARS = 256 * 1024;

    /** The gateway's own table (gateway_outcome), migrated with its own history. */
    @Configuration(proxyBeanMethods = false)
    static class Migrations {
        @Bean
        ModuleMigrations gatewaySchema() {
            return new ModuleMigrations("gateway", "classpath:db/gateway");
        }
    }

    record Outcome(String requestId, McpSchema.CallToolResult result, boolean truncated, Instant ranAt) {
    }

    private final JdbcClient jdbc;
    private final McpJsonMapper json;
    private final Clock clock;

    GatewayOutcomes(JdbcClient jdbc, McpJsonMapper json, Clock clock) {
        this.jdbc = jdbc;
        this.json = json;
        this.clock = clock;
    }

    /** Keeps what the one run of this approved request returned. The primary key keeps the first, should two report. */
    void record(ActionRequest approved, McpSchema.CallToolResult result) {
        String stored;
        boolean truncated = false;
        try {
            stored = json.writeValueAsString(result);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        if (stored.length() > MAX_RESULT_CHARS) {
            truncated = true;
            String text = result.content() == null ? "" : result.content().stream().filter(McpSchema.TextContent.class::isInstance)
                    .map(content -> ((McpSchema.TextContent) content).text()).reduce("", String::concat);
            McpSchema.CallToolResult cut = McpSchema.CallToolResult.builder()
                    .addTextContent(text.length() > MAX_RESULT_CHARS / 2 ? text.substring(0, MAX_RESULT_CHARS / 2) : text)
                    .isError(Boolean.TRUE.equals(result.isError())).build();
            try {
                stored = json.writeValueAsString(cut);
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }
        try {
            jdbc.sql("insert into gateway_outcome (request_id, agent_id, action_hash, is_error, result, truncated, ran_at) values (?,?,?,?,?,?,?)")
                    .params(approved.id(), approved.agent(), approved.actionHash(), Boolean.TRUE.equals(result.isError()), stored, truncated,
                            Timestamp.from(clock.instant())).update();
        } catch (DuplicateKeyException alreadyKept) {
            // One run per grant: the same outcome reported twice is kept once.
        }
    }

    Optional<Outcome> of(String requestId) {
        return jdbc.sql("select request_id, result, truncated, ran_at from gateway_outcome where request_id = ?").param(requestId)
                .query((rs, n) -> new Outcome(rs.getString("request_id"), read(rs.getString("result")), rs.getBoolean("truncated"),
                        rs.getTimestamp("ran_at").toInstant())).optional();
    }

    private McpSchema.CallToolResult read(String stored) {
        try {
            return json.readValue(stored, McpSchema.CallToolResult.class);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @EventListener
    void purged(ActionRequestsPurged purged) {
        jdbc.sql("delete from gateway_outcome where request_id in (:ids)").param("ids", purged.requestIds()).update();
    }
}
