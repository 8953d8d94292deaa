package dev.countersign.catalog.internal;

import dev.countersign.catalog.CatalogAdministration;
import dev.countersign.catalog.CatalogChangeCheck;
import dev.countersign.catalog.CatalogProperties;
import dev.countersign.catalog.DerivedFacts;
import dev.countersign.catalog.DiscoveredTools;
import dev.countersign.catalog.ToolCatalog;
import dev.countersign.documents.ActiveDocument;
import dev.countersign.documents.DocumentVersions;
import dev.countersign.documents.YamlDocuments;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.core.io.ResourceLoader;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import tools.jackson.databind.JsonNode;

/** The catalog in force on this instance, and its administration: a new version must keep the policy's tests passing. */
@Component
@EnableConfigurationProperties(CatalogProperties.class)
class ActiveCatalog extends ActiveDocument<CompiledCatalog> implements ToolCatalog, CatalogAdministration, DiscoveredTools {

    private final ObjectProvider<CatalogChangeCheck> checks;
    /** Per origin, its entries by tool name; replaced whole when the origin's tools change. */
    private final Map<String, Map<String, Offered>> offered = new ConcurrentHashMap<>();

    private record Offered(DiscoveredTool tool, CatalogTool entry) {
    }

    private final org.springframework.context.ApplicationEventPublisher events;

    ActiveCatalog(CatalogProperties properties, ResourceLoader resources, DocumentVersions versions, ObjectProvider<CatalogChangeCheck> checks,
                  org.springframework.context.ApplicationEventPublisher events) {
        super("catalog", "Tool catalog", properties.source(),
                YamlDocuments.load(resources, properties.location(), "Tool catalog", "countersign.catalog.location"),
                properties.location(), versions, CompiledCatalog::new);
        this.checks = checks;
        this.events = events;
    }

    /** Announced, so that what was approved under the old version stops standing at once (standing approvals). */
    @Override
    public DocumentVersions.Active activate(String draft, String author, String comment) {
        var active = super.activate(draft, author, comment);
        events.publishEvent(new dev.countersign.catalog.CatalogActivated(active.version().hash(), author));
        return active;
    }

    /** Another instance's activation reaches this one within the interval. */
    @Scheduled(fixedDelayString = "${countersign.documents.refresh:5s}")
    @Override
    protected void refresh() {
        super.refresh();
    }

    @Override
    public DerivedFacts derive(String tool, JsonNode arguments) {
        return current().derive(tool, arguments, this::discoveredEntry);
    }

    @Override
    public Optional<String> describe(String tool) {
        return current().describe(tool, this::discoveredEntry);
    }

    @Override
    public String entryName(String tool) {
        return current().entryName(tool, this::discoveredEntry);
    }

    private Optional<CatalogTool> discoveredEntry(String tool) {
        return offered.values().stream().map(tools -> tools.get(tool)).filter(java.util.Objects::nonNull).findFirst().map(Offered::entry);
    }

    @Override
    public void offer(String origin, List<DiscoveredTool> tools) {
        Map<String, Offered> entries = new LinkedHashMap<>();
        tools.forEach(tool -> entries.put(tool.name(), new Offered(tool, CompiledCatalog.discovered(tool))));
        offered.put(origin, Map.copyOf(entries));
    }

    @Override
    public List<DiscoveredTool> discovered() {
        return offered.values().stream().flatMap(tools -> tools.values().stream()).map(Offered::tool)
                .sorted(java.util.Comparator.comparing(DiscoveredTool::name)).toList();
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
