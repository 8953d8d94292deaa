package dev.countersign.policy;

import dev.countersign.catalog.ToolCatalog;
import dev.countersign.documents.DocumentAdministration;

/** The policy's versions for admins. A draft's {@link #check} compiles it and runs its tests with the catalog in force. */
public interface PolicyAdministration extends DocumentAdministration {

    /** A draft compiled against a catalog, for a dry run; throws {@link IllegalStateException} naming the problem. */
    Policy compile(String draft, ToolCatalog catalog);
}
