package dev.countersign.catalog;

import dev.countersign.documents.DocumentAdministration;

/** The catalog's versions for admins. A draft's {@link #check} also asks the policy whether its tests still pass with it. */
public interface CatalogAdministration extends DocumentAdministration {

    /** A draft compiled, for a dry run; throws {@link IllegalStateException} naming the problem. */
    ToolCatalog compile(String draft);
}
