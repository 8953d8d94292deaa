package dev.countersign.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.countersign.catalog.CatalogAdministration;
import dev.countersign.common.ApiProblem;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.modulith.test.ApplicationModuleTest;
import org.springframework.test.context.TestPropertySource;

/** Teams that keep policy in Git: with {@code source=file} the files are the only source, and nothing can be activated. */
@ApplicationModuleTest(mode = ApplicationModuleTest.BootstrapMode.ALL_DEPENDENCIES)
@TestPropertySource(properties = {"countersign.policy.source=file", "countersign.catalog.source=file"})
class PolicyFromFileModuleTest {

    @Autowired
    PolicyAdministration policy;
    @Autowired
    CatalogAdministration catalog;

    @Test
    void theFilesAreInForceAndReadOnly() {
        assertThat(policy.editable()).isFalse();
        assertThat(policy.active()).isEmpty();
        assertThat(policy.history(10)).isEmpty();
        assertThat(policy.source()).contains("name: two-approvals");
        assertThat(catalog.editable()).isFalse();

        var refused = catchThrowableOfType(ApiProblem.class, () -> policy.activate(policy.source(), "admin", "try"));

        assertThat(refused.code()).isEqualTo("document_read_only");
        assertThat(refused.status().value()).isEqualTo(409);
        assertThat(refused.getMessage()).contains("countersign.policy.source=file");
    }
}
