package dev.countersign.workflow.internal.camunda;

import io.camunda.client.CamundaClient;
import java.io.IOException;
import java.util.Arrays;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.core.io.Resource;
import org.springframework.core.io.support.PathMatchingResourcePatternResolver;
import org.springframework.stereotype.Component;

/**
 * Deploys the Camunda 8 dialect of every model in {@code bpmn/} (and any other
 * {@code camunda8/*.bpmn} on the classpath) at start-up. The broker keeps the version of a
 * resource whose content did not change, so a restart creates no new version.
 */
@Component
@ConditionalOnProperty(name = "countersign.engine", havingValue = "camunda")
class CamundaDeployment implements ApplicationRunner {

    static final String MODELS = "classpath*:camunda8/*.bpmn";
    private static final Logger log = LoggerFactory.getLogger(CamundaDeployment.class);

    private final CamundaClient client;
    private final CamundaProperties properties;

    CamundaDeployment(CamundaClient client, CamundaProperties properties) {
        this.client = client;
        this.properties = properties;
    }

    @Override
    public void run(ApplicationArguments args) throws IOException {
        Resource[] models = new PathMatchingResourcePatternResolver().getResources(MODELS);
        if (models.length == 0) {
            throw new IllegalStateException("No Camunda 8 models found at " + MODELS);
        }
        var command = client.newDeployResourceCommand().addResourceBytes(models[0].getContentAsByteArray(), models[0].getFilename());
        for (Resource model : Arrays.copyOfRange(models, 1, models.length)) {
            command = command.addResourceBytes(model.getContentAsByteArray(), model.getFilename());
        }
        try {
            var deployment = command.send().join();
            deployment.getProcesses().forEach(process -> log.info("Camunda 8: process {} version {} (key {})",
                    process.getBpmnProcessId(), process.getVersion(), process.getProcessDefinitionKey()));
        } catch (RuntimeException failed) {
            throw new IllegalStateException("Deploying the approval processes failed: " + CamundaProblems.explain(properties, failed), failed);
        }
    }
}
