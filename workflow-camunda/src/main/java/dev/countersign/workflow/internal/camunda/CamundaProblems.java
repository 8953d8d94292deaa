package dev.countersign.workflow.internal.camunda;

import io.camunda.client.api.command.ClientHttpException;

/** Turns a failed call to the cluster into a sentence that says what to check. */
final class CamundaProblems {

    private CamundaProblems() {
    }

    static String explain(CamundaProperties properties, Throwable failure) {
        Throwable cause = failure;
        while (cause != null) {
            if (cause instanceof ClientHttpException http && (http.code() == 401 || http.code() == 403)) {
                return "The Camunda 8 cluster at " + properties.restAddress() + " refused Countersign's credentials (HTTP " + http.code()
                        + "): check countersign.camunda.client-id, client-secret, audience and authorization-server-url";
            }
            cause = cause.getCause();
        }
        return "The Camunda 8 cluster at " + properties.restAddress() + " could not be reached (" + rootMessage(failure)
                + "): check countersign.camunda.rest-address and that the cluster is up";
    }

    private static String rootMessage(Throwable failure) {
        Throwable root = failure;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getClass().getSimpleName() + (root.getMessage() == null ? "" : ": " + root.getMessage());
    }
}
