package dev.countersign.catalog;

import tools.jackson.databind.JsonNode;

/** The active tool catalog. */
public interface ToolCatalog {

    /**
     * The facts of a call of {@code tool} with these arguments. Refuses, as an
     * {@link dev.countersign.common.ApiProblem}, a tool the catalog does not know
     * ({@code 422 unknown_tool}) and arguments its schema does not accept ({@code 422
     * validation_failed}, each error with the JSON pointer of the argument in the request body).
     */
    DerivedFacts derive(String tool, JsonNode arguments);

    /** What a call of {@code tool} does, in the catalog's words (or its upstream's, for a discovered tool), when it says. */
    java.util.Optional<String> describe(String tool);

    /**
     * The name of the catalog entry that covers {@code tool}: the tool's own for an exact or discovered entry, the glob
     * (such as {@code payments.*}) for one a glob covers, {@code unknown} for none. What metrics label a call with: a
     * glob's tools are as many as agents care to spell, its entries only as many as admins wrote.
     */
    String entryName(String tool);

    /** Content hash of the active catalog, recorded with every request whose facts it derived. */
    String version();

    /** The catalog's source text, for admins to read. */
    String source();
}
