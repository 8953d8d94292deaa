package dev.countersign.actions;

import java.util.List;

/** The categories an action may declare (docs/api.md): what the API accepts and what the console filters by. */
public final class ActionCategories {

    public static final List<String> ALL = List.of("MOVE_DATA", "SPEND_MONEY", "CHANGE_INFRASTRUCTURE", "READ_SENSITIVE", "OTHER");

    private ActionCategories() {
    }
}
