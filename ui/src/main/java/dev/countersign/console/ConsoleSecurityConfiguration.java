package dev.countersign.console;

import com.vaadin.flow.spring.security.VaadinSecurityConfigurer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.web.SecurityFilterChain;

/** The human-facing side: everything not matched by the API's chain is the console, with form login. */
@Configuration(proxyBeanMethods = false)
class ConsoleSecurityConfiguration {

    @Bean
    @Order(10)
    SecurityFilterChain consoleSecurity(HttpSecurity http) throws Exception {
        // The console's own stylesheet is public like Vaadin's: the login page needs it before anyone signs in.
        http.authorizeHttpRequests(requests -> requests.requestMatchers("/console.css").permitAll());
        http.with(VaadinSecurityConfigurer.vaadin(), vaadin -> vaadin.loginView(LoginView.class));
        return http.build();
    }
}
