package dev.countersign.identity;

import dev.countersign.common.Globs;
import java.util.List;
import java.util.Set;

/**
 * The authenticated party behind a call. The three kinds never overlap: a token whose
 * subject is a registered agent is an agent's, whatever else it claims, so an agent can
 * never vote and a human can never ask for actions.
 */
public sealed interface Caller {

    String id();

    /**
     * A workload that asks before it acts. {@code tools} are globs such as {@code payments.*}; {@code delegation}: who it
     * acts for, when a token was exchanged down a chain of agents (which narrows the tools, never widens them);
     * {@code runtime}: what its token attests it runs as (model, instructions), when its platform says.
     */
    record Agent(String id, String owner, List<String> tools, boolean enabled, Delegation delegation, AgentRuntime runtime)
            implements Caller {

        public Agent(String id, String owner, List<String> tools, boolean enabled) {
            this(id, owner, tools, enabled, Delegation.direct(id), AgentRuntime.NONE);
        }

        public Agent(String id, String owner, List<String> tools, boolean enabled, Delegation delegation) {
            this(id, owner, tools, enabled, delegation, AgentRuntime.NONE);
        }

        /** What its token says it runs as (only the claims configured for it: {@code agents[].runtime-claims}). */
        public Agent withRuntime(AgentRuntime attested) {
            return new Agent(id, owner, tools, enabled, delegation, attested);
        }

        public boolean mayUse(String tool) {
            return tools.stream().anyMatch(glob -> Globs.matches(glob, tool)) && delegation.allows(tool);
        }

        /** The ids of the chain, root first, ending with this agent. */
        public List<String> chain() {
            return delegation.chain();
        }
    }

    /**
     * A human who votes. Eligibility is by principal: {@code user:alice} or {@code group:finance}. {@code signedInAt}: when
     * they last proved who they are (a console sign-in's factor, an API token's {@code auth_time} or else {@code iat});
     * null when unknown, which no step-up rule accepts.
     */
    record Approver(String id, String email, Set<String> groups, java.time.Instant signedInAt) implements Caller {

        public Approver(String id, String email, Set<String> groups) {
            this(id, email, groups, null);
        }

        public Approver signedInAt(java.time.Instant at) {
            return new Approver(id, email, groups, at);
        }

        /** Whether they proved who they are within {@code maxAge} before {@code now} (an unknown sign-in never is). */
        public boolean signedInWithin(java.time.Duration maxAge, java.time.Instant now) {
            return signedInAt != null && !signedInAt.isBefore(now.minus(maxAge));
        }

        public Set<String> principals() {
            var principals = new java.util.TreeSet<String>();
            principals.add("user:" + id);
            groups.forEach(group -> principals.add("group:" + group));
            return principals;
        }

        public boolean isAdmin() {
            return groups.contains("admin");
        }

        /** Whether this human is the person an action is done for (its subject). */
        public boolean is(String person) {
            return person != null && (person.equalsIgnoreCase(id) || person.equalsIgnoreCase(email));
        }
    }

    /** Whatever executes tools: it redeems grants. */
    record Gateway(String id) implements Caller {
    }
}
