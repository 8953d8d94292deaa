/**
 * Countersign as an MCP gateway: agents connect to {@code /mcp} instead of to their MCP servers;
 * every {@code tools/call} is asked through {@link dev.countersign.actions.AgentAsks}, waits for
 * its decision, and only an approved call's grant is redeemed and the approved arguments forwarded
 * upstream. docs/mcp-gateway.md.
 */
@org.springframework.modulith.ApplicationModule(displayName = "MCP gateway", allowedDependencies = {"actions", "audit", "catalog", "common", "grants", "identity"})
package dev.countersign.gateway;
