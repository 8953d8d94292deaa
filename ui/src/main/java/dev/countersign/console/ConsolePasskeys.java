package dev.countersign.console;

import dev.countersign.common.ModuleMigrations;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.web.server.context.WebServerInitializedEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcOperations;
import org.springframework.security.web.webauthn.api.PublicKeyCredentialRpEntity;
import org.springframework.security.web.webauthn.management.JdbcPublicKeyCredentialUserEntityRepository;
import org.springframework.security.web.webauthn.management.JdbcUserCredentialRepository;
import org.springframework.security.web.webauthn.management.PublicKeyCredentialUserEntityRepository;
import org.springframework.security.web.webauthn.management.UserCredentialRepository;
import org.springframework.security.web.webauthn.management.WebAuthnRelyingPartyOperations;
import org.springframework.security.web.webauthn.management.Webauthn4JRelyingPartyOperations;

/**
 * Where approvers' passkeys live (the database, so that every instance and a restart know them) and the relying party
 * that registers and checks them. Spring Security's {@code webAuthn()} (ConsoleSecurityConfiguration) takes these beans.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(ConsolePasskeyProperties.class)
class ConsolePasskeys {

    @Bean
    ModuleMigrations consoleSchema() {
        return new ModuleMigrations("console", "classpath:db/console");
    }

    @Bean
    PublicKeyCredentialUserEntityRepository passkeyUsers(JdbcOperations jdbc) {
        return new JdbcPublicKeyCredentialUserEntityRepository(jdbc);
    }

    @Bean
    UserCredentialRepository passkeyCredentials(JdbcOperations jdbc) {
        return new JdbcUserCredentialRepository(jdbc);
    }

    /** The origins passkeys are accepted from: configured, or this instance's own localhost port once it listens. */
    @Bean
    PasskeyOrigins passkeyOrigins(ConsolePasskeyProperties properties) {
        return new PasskeyOrigins(properties);
    }

    @Bean
    WebAuthnRelyingPartyOperations passkeyRelyingParty(PublicKeyCredentialUserEntityRepository users, UserCredentialRepository credentials,
                                                       ConsolePasskeyProperties properties, PasskeyOrigins origins) {
        return new Webauthn4JRelyingPartyOperations(users, credentials,
                PublicKeyCredentialRpEntity.builder().id(properties.rpId()).name(properties.rpName()).build(), origins.allowed());
    }

    static final class PasskeyOrigins implements ApplicationListener<WebServerInitializedEvent> {

        private final boolean fromPort;
        // Read by the relying party at each ceremony: the port is known only once the server listens.
        private final Set<String> allowed = ConcurrentHashMap.newKeySet();

        PasskeyOrigins(ConsolePasskeyProperties properties) {
            allowed.addAll(properties.allowedOrigins());
            fromPort = properties.allowedOrigins().isEmpty() && "localhost".equals(properties.rpId());
        }

        Set<String> allowed() {
            return allowed;
        }

        @Override
        public void onApplicationEvent(WebServerInitializedEvent event) {
            if (fromPort && event.getApplicationContext().getServerNamespace() == null) {
                allowed.add("http://localhost:" + event.getWebServer().getPort());
            }
        }
    }
}
