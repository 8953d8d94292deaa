package dev.countersign.actions;

/** Where a vote came from, kept with the vote for the audit trail. */
public enum Channel { API, CONSOLE, SLACK }
