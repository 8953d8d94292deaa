package dev.countersign.identity.internal;

import dev.countersign.identity.ConsoleAuthorities;
import dev.countersign.identity.IdentityProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.provisioning.InMemoryUserDetailsManager;

/** The console's form login: the configured approvers, password = their secret (embedded default only). */
@Configuration(proxyBeanMethods = false)
class ConsoleUsersConfiguration {

    @Bean
    UserDetailsService consoleUsers(IdentityProperties identity) {
        return new InMemoryUserDetailsManager(identity.approvers().stream()
                .filter(a -> a.secret() != null)
                .map(a -> User.withUsername(a.id())
                        .password("{noop}" + a.secret())
                        .authorities(ConsoleAuthorities.of(a.groups()).toArray(String[]::new))
                        .build())
                .toList());
    }
}
