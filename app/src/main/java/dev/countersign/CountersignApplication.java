package dev.countersign;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;
import org.springframework.modulith.Modulithic;
import org.springframework.scheduling.annotation.EnableAsync;
import org.springframework.scheduling.annotation.EnableScheduling;

/** Countersign: the approval gate between AI agents and the tool calls that can hurt. */
@SpringBootApplication
// common holds no business rules; every module test starts it along with the module under test.
@Modulithic(sharedModules = "common")
@ConfigurationPropertiesScan
@EnableScheduling
@EnableAsync
public class CountersignApplication {

    public static void main(String[] args) {
        try {
            SpringApplication.run(CountersignApplication.class, args);
        } catch (RuntimeException failed) {
            // Spring Boot has logged why. A start that failed must end the process, whatever thread a library left
            // running (the MCP SDK's session sweeper is not a daemon thread), or a supervisor never sees it fail.
            System.exit(1);
        }
    }
}
