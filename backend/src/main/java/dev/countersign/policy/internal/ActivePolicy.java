package dev.countersign.policy.internal;

import dev.countersign.catalog.CatalogChangeCheck;
import dev.countersign.catalog.ToolCatalog;
import dev.countersign.documents.ActiveDocument;
import dev.countersign.documents.DocumentVersions;
import dev.countersign.documents.YamlDocuments;
import dev.countersign.policy.ActionFacts;
import dev.countersign.policy.Policy;
import dev.countersign.policy.PolicyAdministration;
import dev.countersign.policy.PolicyDecision;
import dev.countersign.policy.PolicyProperties;
import dev.countersign.policy.SlackRoute;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.core.io.ResourceLoader;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * The policy in force on this instance, and its administration. A new catalog version must keep
 * this policy's tests passing ({@link CatalogChangeCheck}); a new policy version must pass them
 * with the catalog in force.
 */
@Component
@EnableConfigurationProperties(PolicyProperties.class)
class ActivePolicy extends ActiveDocument<CompiledPolicy> implements Policy, PolicyAdministration, CatalogChangeCheck {

    private final Clock clock;
    private final org.springframework.context.ApplicationEventPublisher events;

    ActivePolicy(PolicyProperties properties, ResourceLoader resources, DocumentVersions versions, ToolCatalog catalog, Clock clock,
                 org.springframework.context.ApplicationEventPublisher events) {
        super("policy", "Policy", properties.source(),
                YamlDocuments.load(resources, properties.location(), "Policy file", "countersign.policy.location"),
                properties.location(), versions, (source, where) -> new CompiledPolicy(source, where, catalog, clock));
        this.clock = clock;
        this.events = events;
    }

    /** Announced, so that what was approved under the old version stops standing at once (standing approvals). */
    @Override
    public dev.countersign.documents.DocumentVersions.Active activate(String draft, String author, String comment) {
        var active = super.activate(draft, author, comment);
        events.publishEvent(new dev.countersign.policy.PolicyActivated(active.version().hash(), author));
        return active;
    }

    /** Another instance's activation reaches this one within the interval. */
    @Scheduled(fixedDelayString = "${countersign.documents.refresh:5s}")
    @Override
    protected void refresh() {
        super.refresh();
    }

    @Override
    public PolicyDecision evaluate(ActionFacts action) {
        return current().evaluate(action);
    }

    @Override
    public boolean readsHistory(ActionFacts action) {
        return current().readsHistory(action);
    }

    @Override
    public String version() {
        return current().version();
    }

    @Override
    public Optional<SlackRoute> slackRoute(String ruleName) {
        return current().slackRoute(ruleName);
    }

    @Override
    public Optional<dev.countersign.policy.StandingCap> standingCap(String ruleName) {
        return current().standingCap(ruleName);
    }

    @Override
    public Optional<java.time.Duration> stepUp(String ruleName) {
        return current().stepUp(ruleName);
    }

    @Override
    public boolean approvesInGroups(String ruleName) {
        return current().approvesInGroups(ruleName);
    }

    @Override
    public Optional<String> processFor(String ruleName) {
        return current().processFor(ruleName);
    }

    @Override
    public Policy compile(String draft, ToolCatalog against) {
        return new CompiledPolicy(YamlDocuments.of(draft), "the draft", against, clock);
    }

    /** The policy in force, recompiled against the draft catalog: its tests must still pass. */
    @Override
    public List<String> problemsWith(ToolCatalog draft) {
        try {
            new CompiledPolicy(YamlDocuments.of(source()), "the policy in force", draft, clock);
            return List.of();
        } catch (IllegalStateException broken) {
            return List.of(broken.getMessage());
        }
    }
}
