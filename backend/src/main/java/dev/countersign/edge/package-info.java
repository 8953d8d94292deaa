/**
 * What stands at the door before any feature sees a call: the container's own refusals in the
 * API's error shape (oversized headers, malformed requests, TRACE), and each agent's rate limit,
 * counted across instances ({@code countersign.identity.rate-limit.*}), with
 * {@link dev.countersign.edge.AgentRateLimited} once per limited window.
 */
@org.springframework.modulith.ApplicationModule(displayName = "Edge", allowedDependencies = {"common", "identity"})
package dev.countersign.edge;
