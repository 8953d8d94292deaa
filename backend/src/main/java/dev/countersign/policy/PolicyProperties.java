package dev.countersign.policy;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/** {@code countersign.policy.location}: a Spring resource ({@code classpath:…} or {@code file:…}) holding the YAML policy. */
@ConfigurationProperties("countersign.policy")
public record PolicyProperties(@DefaultValue("classpath:policy/demo-policy.yaml") String location) {
}
