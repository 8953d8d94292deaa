/**
 * The workflow engine port and its adapters. The database decides; the engine owns time
 * (notify, remind, expire) and the shape of the approval. Job handlers are engine-agnostic
 * beans of other modules; this module only runs them.
 */
@org.springframework.modulith.ApplicationModule(displayName = "Workflow")
package dev.countersign.workflow;
