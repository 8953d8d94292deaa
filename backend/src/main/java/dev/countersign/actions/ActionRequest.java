package dev.countersign.actions;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.countersign.grants.Grant;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * An ActionRequest as the API shows it (docs/api.md). {@code grant} only ever reaches the requesting agent.
 * {@code justification} and {@code context} are what the agent (or its MCP client) chose to say: shown to approvers as
 * its words, in fields of their own, never inside Countersign's sentences.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ActionRequest(
        String id,
        ActionStatus status,
        String agent,
        String agentName,
        String tool,
        String category,
        String actionHash,
        Map<String, Object> arguments,
        String resource,
        String payee,
        Amount amount,
        String dataClassification,
        String environment,
        String justification,
        String sessionId,
        String onBehalfOf,
        Map<String, Object> context,
        Delegation delegation,
        Runtime runtime,
        Instant createdAt,
        Instant updatedAt,
        Decision decision,
        Approval approval,
        Grant grant) {

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Amount(String value, String currency) {

        /** As people read it: "2500.00 EUR", or the bare value without a currency. */
        @com.fasterxml.jackson.annotation.JsonIgnore
        public String text() {
            return currency == null ? value : value + " " + currency;
        }

        /** As approvers read it at a glance: "1,250.00 EUR" (thousands grouped, at least two decimals, nothing rounded). */
        @com.fasterxml.jackson.annotation.JsonIgnore
        public String display() {
            java.math.BigDecimal amount;
            try {
                amount = new java.math.BigDecimal(value);
            } catch (NumberFormatException e) {
                return text();
            }
            var format = new java.text.DecimalFormat("#,##0.00", java.text.DecimalFormatSymbols.getInstance(java.util.Locale.ROOT));
            format.setMaximumFractionDigits(Math.max(2, amount.scale()));
            format.setParseBigDecimal(true);
            return format.format(amount) + (currency == null ? "" : " " + currency);
        }
    }

    /**
     * The chain of parties that handed this work on (RFC 8693 token exchange), root first and ending with the asking
     * agent; {@code rootIsPerson}: it started with a person's token. Absent when the agent asked for itself.
     */
    public record Delegation(List<String> chain, boolean rootIsPerson) {

        public String root() {
            return chain.getFirst();
        }

        /** As people read it: {@code alice → orchestrator → billing-agent}. */
        @com.fasterxml.jackson.annotation.JsonIgnore
        public String text() {
            return String.join(" → ", chain);
        }
    }

    /**
     * What the agent ran as when it asked: its model, digests of its instructions, tool manifest and retrieval corpus;
     * {@code attested}: the fields its token vouched for (the rest it declared); {@code changedSinceLastApproval}:
     * whether this differs from its last request people approved (absent when there is none to compare with).
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Runtime(Model model, String instructions, String tools, String corpus, List<String> attested,
                          Boolean changedSinceLastApproval) {

        @JsonInclude(JsonInclude.Include.NON_NULL)
        public record Model(String provider, String name, String version) {
        }

        /** As people read it: "openai gpt-5.1 (2026-11-01) · instructions sha256:1f2e…". */
        @com.fasterxml.jackson.annotation.JsonIgnore
        public String text() {
            List<String> parts = new java.util.ArrayList<>();
            if (model != null) {
                String name = java.util.stream.Stream.of(model.provider(), model.name()).filter(java.util.Objects::nonNull)
                        .collect(java.util.stream.Collectors.joining(" "));
                parts.add(name + (model.version() == null ? "" : " (" + model.version() + ")"));
            }
            if (instructions != null) {
                parts.add("instructions " + shortDigest(instructions));
            }
            if (tools != null) {
                parts.add("tools " + shortDigest(tools));
            }
            if (corpus != null) {
                parts.add("corpus " + shortDigest(corpus));
            }
            return String.join(" · ", parts);
        }

        /** "yes", "no", or that there is nothing to compare with. */
        @com.fasterxml.jackson.annotation.JsonIgnore
        public String changedText() {
            return changedSinceLastApproval == null ? "no earlier approved request to compare with"
                    : changedSinceLastApproval ? "yes" : "no";
        }

        private static String shortDigest(String digest) {
            return digest.length() > 19 ? digest.substring(0, 19) + "…" : digest;
        }
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Decision(DecidedBy by, String rule, String policyVersion, String catalogVersion, String reason, String reasonCode,
                           Instant at, List<VoteView> votes, String standingApproval) {
    }

    /** The facts the catalog derived from the arguments: the same values as the top-level fields, grouped. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Facts(String category, String dataClassification, String environment, String resource, Amount amount, String payee) {
    }

    /** What policy decided on, the console and Slack show: derived from {@code arguments} by the tool catalog, never declared by the agent. */
    @com.fasterxml.jackson.annotation.JsonProperty("facts")
    public Facts facts() {
        return new Facts(category, dataClassification, environment, resource, amount, payee);
    }

    /** A vote cast on the request: by whom, which, why, through which channel, when. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record VoteView(String approver, Vote vote, String comment, Channel via, Instant at, StandingTerms standing) {

        public VoteView(String approver, Vote vote, String comment, Channel via, Instant at) {
            this(approver, vote, comment, via, at, null);
        }
    }

    /**
     * Who must approve, how many, by when; {@code onApproval}: {@code run} (an approved call through the MCP gateway runs
     * at once, also when nobody waits) or {@code hold} (it runs when the agent calls again, until {@code expiresAt}).
     */
    public record Approval(List<String> approvers, int quorum, Instant expiresAt, String onApproval) {

        public boolean held() {
            return "hold".equals(onApproval);
        }
    }

    public ActionRequest withoutGrant() {
        return grant == null ? this : new ActionRequest(id, status, agent, agentName, tool, category, actionHash, arguments, resource, payee, amount,
                dataClassification, environment, justification, sessionId, onBehalfOf, context, delegation, runtime, createdAt, updatedAt, decision,
                approval, null);
    }

    /**
     * The agent's {@code context} as people read it, flattened to {@code key: value} pairs ({@code mcpClient.name:
     * Claude Desktop}), at most 500 characters; {@code null} when it stated none.
     */
    @com.fasterxml.jackson.annotation.JsonIgnore
    public String contextText() {
        if (context == null || context.isEmpty()) {
            return null;
        }
        StringBuilder text = new StringBuilder();
        flatten("", context, text);
        return text.length() > 500 ? text.substring(0, 500) + "…" : text.toString();
    }

    private static void flatten(String prefix, Object value, StringBuilder text) {
        if (value instanceof Map<?, ?> map) {
            map.forEach((key, inner) -> flatten(prefix.isEmpty() ? String.valueOf(key) : prefix + "." + key, inner, text));
        } else {
            text.append(text.isEmpty() ? "" : "; ").append(prefix).append(": ").append(value);
        }
    }

    /** The agents of its delegation chain, root first (a person at the root is not one), or just the asking agent. */
    @com.fasterxml.jackson.annotation.JsonIgnore
    public List<String> chainAgents() {
        if (delegation == null) {
            return List.of(agent);
        }
        return dev.countersign.identity.Delegation.agentsOf(delegation.chain(), delegation.rootIsPerson());
    }

    /** The agent as people read it: "Billing bot (billing-agent)", or the id when it has no display name. */
    @com.fasterxml.jackson.annotation.JsonIgnore
    public String agentLabel() {
        return agentName == null ? agent : agentName + " (" + agent + ")";
    }

    public long approvals() {
        return votes().stream().filter(v -> v.vote() == Vote.APPROVE).count();
    }

    /** The votes cast on it, oldest first; none when nobody was asked. */
    @com.fasterxml.jackson.annotation.JsonIgnore
    public List<VoteView> votes() {
        return decision == null || decision.votes() == null ? List.of() : decision.votes();
    }

    /**
     * What a vote cast on this pending request (read under its row lock, with every vote it has) decides: a DENY at once,
     * an APPROVE when it completes the quorum; otherwise nothing yet. The one place a vote becomes a verdict.
     */
    public java.util.Optional<Verdict> verdictAfter(VoteView cast) {
        if (cast.vote() == Vote.DENY) {
            return java.util.Optional.of(Verdict.deniedBy(cast.approver(), cast.comment()));
        }
        if (approvals() + 1 >= approval.quorum()) {
            return java.util.Optional.of(Verdict.approvedByQuorum(cast.approver(), approval.quorum(), approval.approvers()));
        }
        return java.util.Optional.empty();
    }
}
