package dev.countersign;

import org.springframework.boot.tomcat.servlet.TomcatServletWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.stereotype.Component;

/**
 * Agents hold long-polls by the thousand, each a parked connection that carries little: Tomcat's
 * per-connection socket buffers are sized for that (4 KiB instead of 8 KiB each way) so that a
 * held wait costs less heap. Bodies larger than a buffer are simply read in more than one go.
 */
@Component
class LongPollFriendlyTomcat implements WebServerFactoryCustomizer<TomcatServletWebServerFactory> {

    @Override
    public void customize(TomcatServletWebServerFactory factory) {
        factory.addConnectorCustomizers(connector -> {
            connector.setProperty("socket.appReadBufSize", "4096");
            connector.setProperty("socket.appWriteBufSize", "4096");
        });
    }
}
