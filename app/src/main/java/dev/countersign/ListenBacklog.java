package dev.countersign;

import org.eclipse.jetty.server.ServerConnector;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.boot.jetty.servlet.JettyServletWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.stereotype.Component;

/**
 * Agents reconnect in bursts (a fleet restarting, a load balancer failing over): thousands of
 * long-polls may arrive within a second. Jetty leaves the listening socket's backlog to the JDK's
 * default of 50, and connections beyond it wait for the client's SYN retries (1 s, 3 s, 7 s...)
 * or time out; measured, 10,000 long-polls sent at once registered 561 in two minutes. The kernel
 * caps the backlog at {@code net.core.somaxconn} (4096 on current Linux).
 */
@Component
class ListenBacklog implements WebServerFactoryCustomizer<JettyServletWebServerFactory> {

    private final Settings settings;

    ListenBacklog(Settings settings) {
        this.settings = settings;
    }

    @Override
    public void customize(JettyServletWebServerFactory factory) {
        factory.addServerCustomizers(server -> {
            for (var connector : server.getConnectors()) {
                if (connector instanceof ServerConnector listening) {
                    listening.setAcceptQueueSize(settings.acceptQueue());
                }
            }
        });
    }

    /** {@code countersign.server.accept-queue}: connections the kernel holds for Jetty to accept. */
    @ConfigurationProperties("countersign.server")
    record Settings(@DefaultValue("2048") int acceptQueue) {
    }
}
