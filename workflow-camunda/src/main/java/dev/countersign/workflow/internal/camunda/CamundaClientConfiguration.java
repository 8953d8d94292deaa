package dev.countersign.workflow.internal.camunda;

import io.camunda.client.CamundaClient;
import io.camunda.client.CredentialsProvider;
import io.camunda.client.impl.NoopCredentialsProvider;
import io.camunda.client.impl.oauth.OAuthCredentialsProviderBuilder;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The Camunda 8 client, configured by hand (the Camunda Spring starter targets another Spring
 * Boot), talking REST. Start-up asks the cluster for its topology and refuses to go on, saying
 * why, when the cluster cannot be reached or refuses the credentials.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty(name = "countersign.engine", havingValue = "camunda")
@EnableConfigurationProperties(CamundaProperties.class)
class CamundaClientConfiguration {

    private static final Logger log = LoggerFactory.getLogger(CamundaClientConfiguration.class);

    @Bean(destroyMethod = "close")
    CamundaClient camundaClient(CamundaProperties properties) {
        if (properties.rest() == null) {
            throw new IllegalStateException("countersign.engine=camunda needs countersign.camunda.rest-address (CAMUNDA_REST_ADDRESS)");
        }
        var builder = CamundaClient.newClientBuilder()
                .restAddress(properties.rest())
                .preferRestOverGrpc(true)
                .defaultJobWorkerStreamEnabled(false)
                .defaultJobTimeout(properties.jobTimeout())
                .defaultJobPollInterval(properties.pollInterval())
                .defaultMessageTimeToLive(properties.messageTtl())
                .applyEnvironmentVariableOverrides(false)
                .credentialsProvider(credentials(properties));
        if (properties.grpc() != null) {
            builder.grpcAddress(properties.grpc());
        }
        if (properties.caCertificatePath() != null && !properties.caCertificatePath().isBlank()) {
            builder.caCertificatePath(properties.caCertificatePath());
        }
        CamundaClient client = builder.build();
        try {
            var topology = client.newTopologyRequest().useRest().send().join(properties.startupTimeout().toMillis(), TimeUnit.MILLISECONDS);
            log.info("Camunda 8 cluster at {}: {} broker(s), gateway {}", properties.restAddress(), topology.getBrokers().size(),
                    topology.getGatewayVersion());
        } catch (RuntimeException unreachable) {
            client.close();
            throw new IllegalStateException(CamundaProblems.explain(properties, unreachable), unreachable);
        }
        return client;
    }

    private static CredentialsProvider credentials(CamundaProperties properties) {
        if (!properties.authenticated()) {
            return new NoopCredentialsProvider();
        }
        var oauth = new OAuthCredentialsProviderBuilder()
                .clientId(properties.clientId())
                .clientSecret(properties.clientSecret())
                .applyEnvironmentOverrides(false);
        if (properties.audience() != null && !properties.audience().isBlank()) {
            oauth.audience(properties.audience());
        }
        if (properties.authorizationServerUrl() != null && !properties.authorizationServerUrl().isBlank()) {
            oauth.authorizationServerUrl(properties.authorizationServerUrl());
        }
        return oauth.build();
    }
}
