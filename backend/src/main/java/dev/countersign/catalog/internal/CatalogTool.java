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
 */
record CatalogTool(String name, String category, String dataClassification, Schema arguments,
                   Map<String, CelRuntime.Program> facts, java.util.Set<String> reads, boolean foldCase) {

    static final java.util.List<String> FACTS = java.util.List.of("amount", "currency", "environment", "resource");

    boolean isExact() {
        return !name.contains("*");
    }

    boolean covers(String tool) {
        return isExact() ? name.equals(tool) : Globs.matches(name, tool);
    }
}
