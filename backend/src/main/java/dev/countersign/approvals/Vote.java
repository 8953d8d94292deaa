package dev.countersign.approvals;

public enum Vote { APPROVE, DENY }
