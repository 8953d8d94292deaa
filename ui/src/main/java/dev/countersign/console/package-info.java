/** The Vaadin console: approvers sign in, see what awaits them live, read a request in full and vote. */
@org.springframework.modulith.ApplicationModule(displayName = "Console", allowedDependencies = {"actions", "approvals", "audit", "catalog", "common", "documents", "identity", "notifications", "policy"})
package dev.countersign.console;
