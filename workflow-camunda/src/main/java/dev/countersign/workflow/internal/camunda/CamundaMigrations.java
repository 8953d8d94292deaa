package dev.countersign.workflow.internal.camunda;

import dev.countersign.common.ModuleMigrations;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The camunda_instance table, created whichever engine runs, so that switching engines needs no schema change. */
@Configuration(proxyBeanMethods = false)
class CamundaMigrations {

    @Bean
    ModuleMigrations camundaSchema() {
        return new ModuleMigrations("camunda", "classpath:db/camunda");
    }
}
