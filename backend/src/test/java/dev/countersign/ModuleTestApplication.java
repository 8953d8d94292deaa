package dev.countersign;

import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;
import org.springframework.modulith.Modulithic;

/**
 * What {@code @ApplicationModuleTest} boots in this Maven module: the backend's modules without
 * the app, the engines or any channel. Each module test narrows it to one module and what that
 * module depends on. Neither scheduling nor {@code @Async} is on: pollers stay still and the
 * after-commit listeners run on the committing thread, so a test sees only what it causes.
 */
@SpringBootApplication
// common holds no business rules; every module test starts it along with the module under test.
@Modulithic(sharedModules = "common")
@ConfigurationPropertiesScan
public class ModuleTestApplication {
}
