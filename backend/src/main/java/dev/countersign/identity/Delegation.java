package dev.countersign.identity;

import dev.countersign.common.Globs;
import java.util.List;

/**
 * Who an agent acts for: the chain of a delegated token (RFC 8693 {@code act} claims), root first
 * and ending with the agent that calls. A token nobody delegated has a chain of one, the agent
 * itself. {@code limits}: tool lists every one of which must allow a tool (the other links' tools,
 * and the {@code tool:} scopes the token was narrowed to), so a chain can only narrow what its
 * last agent may do. {@code refusal}: why Countersign does not accept this chain (too deep, a link
 * that may not delegate to the next); such an agent is treated as switched off, with this reason.
 */
public record Delegation(List<String> chain, boolean rootIsPerson, List<List<String>> limits, String refusal) {

    public Delegation {
        chain = List.copyOf(chain);
        limits = limits.stream().map(List::copyOf).toList();
    }

    /** An agent that asks for itself. */
    public static Delegation direct(String agentId) {
        return new Delegation(List.of(agentId), false, List.of(), null);
    }

    /** Who the chain starts with: a person, or the agent that first handed work on. */
    public String root() {
        return chain.getFirst();
    }

    /** Whether anyone handed this work on: the chain has more than the agent itself. */
    public boolean delegated() {
        return chain.size() > 1;
    }

    /** The agents of the chain, root first: all links but a person at the root. */
    public List<String> agents() {
        return agentsOf(chain, rootIsPerson);
    }

    /** The agents of a chain (root first), as a stored request or grant keeps it: all links but a person at the root. */
    public static List<String> agentsOf(List<String> chain, boolean rootIsPerson) {
        return rootIsPerson ? chain.subList(1, chain.size()) : chain;
    }

    public boolean allows(String tool) {
        return limits.stream().allMatch(globs -> globs.stream().anyMatch(glob -> Globs.matches(glob, tool)));
    }

    /** The chain as people read it: {@code alice → orchestrator → billing-agent}. */
    public String text() {
        return String.join(" → ", chain);
    }
}
