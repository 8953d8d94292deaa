/**
 * The approval process's lifecycle. The database decides; the engine owns time (notify,
 * remind, expire) and the shape of the approval. This module reacts to the actions module's
 * events (a request awaiting approval starts a process through the event publication registry; a decision is
 * delivered to it), keeps processes and requests in step (reconciler, catch-up), and runs the
 * engine-agnostic {@link dev.countersign.workflow.JobHandler}s of other modules. The engine
 * itself sits behind the internal {@code WorkflowEngine} port, with one adapter per Maven
 * module ({@code workflow-flowable}, {@code workflow-camunda}).
 */
@org.springframework.modulith.ApplicationModule(displayName = "Workflow", allowedDependencies = {"actions", "common", "policy"})
package dev.countersign.workflow;
