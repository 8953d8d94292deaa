package dev.countersign.policy;

import dev.countersign.documents.ActiveDocument;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code countersign.policy.*}: {@code location}, a Spring resource ({@code classpath:…} or
 * {@code file:…}) holding the YAML policy; {@code source}: {@code database} (the file seeds
 * version 1, admins edit and activate versions in the console) or {@code file} (the file is the
 * only source, for teams that keep policy in Git; the console shows it read-only). {@code asked-window}: how far back
 * {@code agent.asked[tool]} counts an agent's asks (the fatigue guard's window).
 */
@ConfigurationProperties("countersign.policy")
public record PolicyProperties(@DefaultValue("classpath:policy/demo-policy.yaml") String location,
                               @DefaultValue("database") ActiveDocument.Source source,
                               @DefaultValue("10m") java.time.Duration askedWindow) {
}
