package dev.countersign.catalog;

import java.util.List;
import tools.jackson.databind.JsonNode;

/**
 * Catalog entries that come from where a tool lives rather than from an admin: the MCP gateway
 * offers one per upstream tool, derived from the tool's annotations and input schema. An entry
 * in the catalog document always wins (an exact name, then a glob), so an admin overrides a
 * discovered entry by writing one; a discovered entry only fills the gap an unknown tool would be.
 */
public interface DiscoveredTools {

    /** Replaces everything {@code origin} offered before (an upstream's tool list changed). */
    void offer(String origin, List<DiscoveredTool> tools);

    /** Every entry on offer now, by tool name. */
    List<DiscoveredTool> discovered();

    /**
     * @param origin   where it came from, e.g. {@code mcp:fs}
     * @param arguments the tool's input schema (JSON Schema); if it cannot be compiled, any object is accepted
     * @param description the upstream's description of the tool (its author's words), if any
     */
    record DiscoveredTool(String name, String category, String dataClassification, JsonNode arguments, String origin, String description) {

        public DiscoveredTool(String name, String category, String dataClassification, JsonNode arguments, String origin) {
            this(name, category, dataClassification, arguments, origin, null);
        }
    }
}
