package dev.countersign.catalog.internal;

import com.networknt.schema.Schema;
import dev.cel.runtime.CelRuntime;
import dev.countersign.common.Globs;
import java.util.Map;

/**
 * One compiled catalog entry: which tools it covers, their schema, and a CEL program per derived fact.
 *
 * @param reads    the top-level arguments the facts read ({@link FactInputs#ALL} when that cannot be told)
 * @param foldCase the facts read those arguments lower-cased
 * @param description what a call does, in words (the catalog's, or the upstream's for a discovered tool); may be null
 */
record CatalogTool(String name, String category, String dataClassification, Schema arguments,
                   Map<String, CelRuntime.Program> facts, java.util.Set<String> reads, boolean foldCase, String description) {

    static final java.util.List<String> FACTS = java.util.List.of("amount", "currency", "environment", "resource", "payee");

    boolean isExact() {
        return !name.contains("*");
    }

    boolean covers(String tool) {
        return isExact() ? name.equals(tool) : Globs.matches(name, tool);
    }
}
