package dev.countersign.catalog.internal;

import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;

/** The YAML catalog as written; {@link CompiledCatalog} validates and compiles it into {@link CatalogTool}s. */
record CatalogDocument(List<ToolDocument> tools) {

    /**
     * @param arguments a JSON Schema (draft 2020-12) for the call's arguments
     * @param facts     fact name ({@code amount}, {@code currency}, {@code environment}, {@code resource}, {@code payee}) to a
     *                  CEL expression over {@code args} and {@code tool}; a constant is a CEL literal ({@code "'prod'"})
     * @param foldCase  the names this tool takes ignore letter case ({@code PROD-main} is {@code prod-main}): the
     *                  facts read the arguments lower-cased
     * @param description what a call does, in words, for the approver ("Moves money from one account to another")
     */
    record ToolDocument(String name, String category, String dataClassification, JsonNode arguments, Map<String, String> facts,
                        Boolean foldCase, String description) {
    }
}
