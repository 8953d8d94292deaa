package dev.countersign.actions;

public enum ActionStatus {
    PENDING, APPROVED, DENIED, EXPIRED, CANCELLED;

    public boolean isFinal() {
        return this != PENDING;
    }
}
