package dev.countersign.catalog;

import java.util.List;

/** The categories and data classifications a catalog entry gives its tool (docs/api.md): what the console filters by. */
public final class ActionCategories {

    public static final List<String> ALL = List.of("MOVE_DATA", "SPEND_MONEY", "CHANGE_INFRASTRUCTURE", "READ_SENSITIVE", "OTHER");

    public static final List<String> CLASSIFICATIONS = List.of("PUBLIC", "INTERNAL", "CONFIDENTIAL", "RESTRICTED");

    private ActionCategories() {
    }
}
