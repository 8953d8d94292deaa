package dev.countersign.actions;

public enum DecidedBy { POLICY, APPROVERS, TIMEOUT, AGENT }
