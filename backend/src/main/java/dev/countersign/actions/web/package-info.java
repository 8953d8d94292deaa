/**
 * The actions module's HTTP edge: the agent API ({@code /api/v1/actions}) and the policy
 * simulation endpoint, talking to the module's public services only ({@code AgentAsks},
 * {@code PolicySimulator}); what HTTP adds (headers, long-poll, charsets) stays here.
 */
package dev.countersign.actions.web;
