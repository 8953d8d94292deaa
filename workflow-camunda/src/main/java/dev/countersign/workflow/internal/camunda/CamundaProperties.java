package dev.countersign.workflow.internal.camunda;

import java.net.URI;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code countersign.camunda.*}, used when {@code countersign.engine=camunda}: where the cluster
 * is and how to authenticate (OAuth client credentials for SaaS or self-managed Identity; none
 * for a local cluster without authentication).
 *
 * @param restAddress            the cluster's REST API, e.g. https://…zeebe.camunda.io or http://localhost:8080
 * @param grpcAddress            the gateway's gRPC address (the client keeps one; Countersign talks REST)
 * @param clientId               OAuth client id (empty: no authentication)
 * @param clientSecret           OAuth client secret
 * @param audience               the token audience (SaaS: zeebe.camunda.io)
 * @param authorizationServerUrl the OAuth token URL
 * @param caCertificatePath      a CA certificate for a self-signed cluster TLS certificate
 * @param messageTtl             how long a decision message waits for a process that has not reached its wait yet
 * @param jobTimeout             how long an activated job stays with this instance before the broker hands it out again
 * @param pollInterval           how often idle workers ask for jobs
 * @param startupTimeout         how long start-up waits for the cluster before refusing to start
 */
@ConfigurationProperties("countersign.camunda")
public record CamundaProperties(
        String restAddress,
        String grpcAddress,
        String clientId,
        String clientSecret,
        String audience,
        String authorizationServerUrl,
        String caCertificatePath,
        @DefaultValue("1h") Duration messageTtl,
        @DefaultValue("30s") Duration jobTimeout,
        @DefaultValue("250ms") Duration pollInterval,
        @DefaultValue("15s") Duration startupTimeout) {

    /** The REST address, or null when unset (an empty environment variable counts as unset). */
    URI rest() {
        return blank(restAddress) ? null : URI.create(restAddress.strip());
    }

    URI grpc() {
        return blank(grpcAddress) ? null : URI.create(grpcAddress.strip());
    }

    private static boolean blank(String value) {
        return value == null || value.isBlank();
    }

    boolean authenticated() {
        return clientId != null && !clientId.isBlank();
    }
}
