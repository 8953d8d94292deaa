package dev.countersign.catalog.internal;

import dev.countersign.catalog.CatalogAdministration;
import dev.countersign.catalog.CatalogChangeCheck;
import dev.countersign.catalog.CatalogProperties;
import dev.countersign.catalog.DerivedFacts;
import dev.countersign.catalog.ToolCatalog;
import dev.countersign.common.ActiveDocument;
import dev.countersign.common.DocumentVersions;
import dev.countersign.common.YamlDocuments;
import java.util.List;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.core.io.ResourceLoader;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import tools.jackson.databind.JsonNode;

/** The catalog in force on this instance, and its administration: a new version must keep the policy's tests passing. */
@Component
@EnableConfigurationProperties(CatalogProperties.class)
class ActiveCatalog extends ActiveDocument<CompiledCatalog> implements ToolCatalog, CatalogAdministration {

    private final ObjectProvider<CatalogChangeCheck> checks;

    ActiveCatalog(CatalogProperties properties, ResourceLoader resources, DocumentVersions versions, ObjectProvider<CatalogChangeCheck> checks) {
        super("catalog", "Tool catalog", properties.source(),
                YamlDocuments.load(resources, properties.location(), "Tool catalog", "countersign.catalog.location"),
                properties.location(), versions, CompiledCatalog::new);
        this.checks = checks;
    }

    /** Another instance's activation reaches this one within the interval. */
    @Scheduled(fixedDelayString = "${countersign.documents.refresh:5s}")
    @Override
    protected void refresh() {
        super.refresh();
    }

    @Override
    public DerivedFacts derive(String tool, JsonNode arguments) {
        return current().derive(tool, arguments);
    }

    @Override
    public String version() {
        return current().version();
    }

    @Override
    public ToolCatalog compile(String draft) {
        return compileDraft(draft);
    }

    @Override
    protected List<String> moreChecks(CompiledCatalog draft) {
        return checks.orderedStream().flatMap(check -> check.problemsWith(draft).stream()).toList();
    }
}
