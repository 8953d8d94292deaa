package dev.countersign.actions;

/** An approver's answer to a request: one per approver, and a DENY decides it at once. */
public enum Vote { APPROVE, DENY }
