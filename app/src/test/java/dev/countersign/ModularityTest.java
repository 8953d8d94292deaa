package dev.countersign;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.springframework.modulith.core.ApplicationModule;
import org.springframework.modulith.core.ApplicationModules;
import org.springframework.modulith.docs.Documenter;

/** Module boundaries are checked, not hoped for: a crossed boundary or a cycle turns the build red. */
class ModularityTest {

    static final ApplicationModules MODULES = ApplicationModules.of(CountersignApplication.class);
    /**
     * Under target/ on every run. The copy in the repository (docs/modules, linked from
     * docs/architecture.md) is refreshed with -Dcountersign.module-docs=docs/modules, like the
     * console's screenshots: the generator orders its relations differently from run to run, so
     * writing there on every run would leave every checkout changed.
     */
    static final Path DOCS = Path.of("..").resolve(System.getProperty("countersign.module-docs", "app/target/spring-modulith-docs"));

    @Test
    void modulesRespectTheirBoundaries() {
        MODULES.verify();
    }

    @Test
    void theModulesAreTheOnesTheArchitectureNames() {
        assertThat(MODULES.stream().map(ApplicationModule::getIdentifier).map(Object::toString))
                .containsExactlyInAnyOrder("actions", "approvals", "audit", "common", "console", "grants", "identity",
                        "notifications", "policy", "workflow", "catalog", "gateway", "database", "callbacks");
    }

    @Test
    void writesModuleDocumentation() throws IOException {
        new Documenter(MODULES, Documenter.Options.defaults().withOutputFolder(DOCS.toString()))
                .writeModulesAsPlantUml()
                .writeIndividualModulesAsPlantUml()
                .writeModuleCanvases();

        assertThat(DOCS.resolve("components.puml")).exists();
        String all = Files.readString(DOCS.resolve("components.puml"));
        for (ApplicationModule module : MODULES) {
            assertThat(all).as("the overview diagram shows %s", module.getDisplayName()).contains(module.getDisplayName());
            assertThat(DOCS.resolve("module-" + module.getIdentifier() + ".puml")).exists();
            assertThat(DOCS.resolve("module-" + module.getIdentifier() + ".adoc")).exists();
        }
    }
}
