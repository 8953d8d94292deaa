package dev.countersign.actions.internal;

import java.math.BigDecimal;
import java.util.Map;
import tools.jackson.databind.JsonNode;

/**
 * A validated {@code POST /api/v1/actions} body, with the two hashes the contract defines:
 * {@code actionHash} names what is done ({@code tool} and {@code arguments}); {@code fingerprint}
 * names the whole request, for idempotency. What the agent {@code declared} about its action is
 * kept only to be checked against the catalog's facts; nothing downstream reads it. {@code runtime}: what the agent
 * declares it runs as ({@link dev.countersign.identity.AgentRuntime#NONE} when it says nothing), held against what its
 * token attests.
 */
record ActionSubmission(
        String tool,
        Map<String, Object> arguments,
        JsonNode argumentsJson,
        Declared declared,
        String justification,
        String sessionId,
        String onBehalfOf,
        Map<String, Object> context,
        dev.countersign.identity.AgentRuntime runtime,
        boolean repeat,
        String actionHash,
        String fingerprint,
        String canonicalBody) {

    /** The same submission on behalf of the approver this id names (resolved from however the agent spelt it). */
    ActionSubmission onBehalfOf(String approverId) {
        return new ActionSubmission(tool, arguments, argumentsJson, declared, justification, sessionId, approverId, context, runtime, repeat,
                actionHash, fingerprint, canonicalBody);
    }

    /** The facts an agent may still send beside its arguments; each null when not sent. */
    record Declared(String category, String resource, Amount amount, String dataClassification, String environment) {
    }

    record Amount(BigDecimal value, String currency) {
    }
}
