package dev.countersign.identity.internal;

import org.springframework.boot.tomcat.servlet.TomcatServletWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.stereotype.Component;

/**
 * Tomcat would refuse an encoded slash ({@code %2F}) itself, with an HTML page. It lets it pass
 * instead, undecoded, to Spring Security's firewall, which refuses it too, but as a problem
 * ({@link RefusedRequests}): the same refusal, in the API's own shape.
 */
@Component
class EncodedSlashes implements WebServerFactoryCustomizer<TomcatServletWebServerFactory> {

    @Override
    public void customize(TomcatServletWebServerFactory factory) {
        factory.addConnectorCustomizers(connector -> {
            connector.setEncodedSolidusHandling("passthrough");
            connector.setEncodedReverseSolidusHandling("passthrough");
        });
    }
}
