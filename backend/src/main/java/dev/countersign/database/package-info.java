/**
 * The one database as a dependency: whether it can be reached now (readiness), answering at once
 * while it cannot (instead of every call waiting for the pool), and one log line for an outage
 * instead of a stack trace from every component that noticed it.
 */
@org.springframework.modulith.ApplicationModule(displayName = "Database", allowedDependencies = {"common"})
package dev.countersign.database;
