package dev.countersign.grants;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/** {@code countersign.grants.*}: grant lifetime after approval, and the {@code iss} they carry. */
@ConfigurationProperties("countersign.grants")
public record GrantProperties(@DefaultValue("5m") Duration ttl, @DefaultValue("countersign") String issuer) {
}
