package dev.countersign.workflow.internal.camunda;

import io.camunda.client.CamundaClient;
import java.util.concurrent.TimeUnit;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.stereotype.Component;

/** {@code /actuator/health} component "workflowEngine" on a Camunda 8 cluster: up with the cluster's brokers, or down saying what to check. */
@Component("workflowEngine")
@ConditionalOnProperty(name = "countersign.engine", havingValue = "camunda")
class CamundaHealth implements HealthIndicator {

    private final CamundaClient client;
    private final CamundaProperties properties;

    CamundaHealth(CamundaClient client, CamundaProperties properties) {
        this.client = client;
        this.properties = properties;
    }

    @Override
    public Health health() {
        try {
            var topology = client.newTopologyRequest().useRest().send().join(5, TimeUnit.SECONDS);
            return Health.up().withDetail("restAddress", String.valueOf(properties.restAddress()))
                    .withDetail("brokers", topology.getBrokers().size()).withDetail("gatewayVersion", String.valueOf(topology.getGatewayVersion()))
                    .build();
        } catch (RuntimeException failed) {
            return Health.down().withDetail("problem", CamundaProblems.explain(properties, failed)).build();
        }
    }
}
