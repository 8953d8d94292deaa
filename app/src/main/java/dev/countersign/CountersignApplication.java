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
        SpringApplication.run(CountersignApplication.class, args);
    }
}
