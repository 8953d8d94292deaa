package dev.countersign;

import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;
import org.springframework.modulith.Modulithic;

/**
 * What {@code @ApplicationModuleTest} boots in this Maven module: the backend's modules without
 * the app, the engines or any channel. Each module test narrows it to one module and what that
 * module depends on. Scheduling is off: pollers stay still, so a test sees only what it causes.
 * The after-commit listeners run on the committing thread, except the durable ones
 * ({@code @ApplicationModuleListener}: the workflow's process start), which run asynchronously
 * as in the app (Spring Modulith turns {@code @Async} on for them); their tests await them.
 */
@SpringBootApplication
// common holds no business rules; every module test starts it along with the module under test.
@Modulithic(sharedModules = "common")
@ConfigurationPropertiesScan
public class ModuleTestApplication {
}
