package dev.countersign.catalog;

import java.util.List;

/**
 * What else must hold before a catalog version is put in force, asked of whoever depends on the
 * catalog: the policy implements it (its {@code tests:} must still pass with the new facts), so
 * that the catalog module does not depend on the policy module.
 */
public interface CatalogChangeCheck {

    /** The problems the draft would cause; empty if none. */
    List<String> problemsWith(ToolCatalog draft);
}
