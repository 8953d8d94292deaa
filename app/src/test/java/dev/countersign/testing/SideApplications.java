package dev.countersign.testing;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ApplicationEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.event.ContextClosedEvent;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.core.context.SecurityContextHolderStrategy;

/**
 * Starts an application of its own beside the ones the test framework keeps cached in this JVM.
 * Vaadin installs its security-context strategy in Spring Security's one static holder at start,
 * while the filters of an application already running keep the strategy they were built with:
 * after a second start, the first application's client-credentials sign-in stored its
 * authentication where its own next filter did not look, and /oauth2/token answered 401. Closing
 * the side application puts back the strategy from before it started. (One application per JVM,
 * as in production, never meets this.)
 */
public final class SideApplications {

    private SideApplications() {
    }

    public static ConfigurableApplicationContext run(SpringApplicationBuilder builder, String... args) {
        SecurityContextHolderStrategy before = SecurityContextHolder.getContextHolderStrategy();
        ConfigurableApplicationContext app = builder.run(args);
        app.addApplicationListener(new ApplicationListener<ApplicationEvent>() {
            @Override
            public void onApplicationEvent(ApplicationEvent event) {
                if (event instanceof ContextClosedEvent) {
                    SecurityContextHolder.setContextHolderStrategy(before);
                }
            }
        });
        return app;
    }
}
