package dev.countersign.notifications.slack;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.web.SecurityFilterChain;

/**
 * {@code /slack/**} carries no session and no token: Slack's request signature is its only
 * credential, and {@link SlackInteractionController} checks it before reading anything. CSRF
 * protection is for browsers holding a session; a signed server-to-server call needs none.
 */
@Configuration(proxyBeanMethods = false)
class SlackSecurityConfiguration {

    @Bean
    @Order(3)
    SecurityFilterChain slackSecurity(HttpSecurity http) throws Exception {
        http.securityMatcher("/slack/**")
                .authorizeHttpRequests(requests -> requests.anyRequest().permitAll())
                .sessionManagement(session -> session.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                .csrf(csrf -> csrf.disable())
                .requestCache(cache -> cache.disable());
        return http.build();
    }
}
