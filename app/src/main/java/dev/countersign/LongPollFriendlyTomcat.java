package dev.countersign;

import org.apache.coyote.http11.Http11NioProtocol;
import org.springframework.boot.tomcat.servlet.TomcatServletWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.stereotype.Component;

/**
 * Agents hold long-polls by the thousand, each a parked connection that carries little, and
 * Tomcat keeps every buffer of a suspended request. Measured with 1,000 held waits (heap
 * histogram and allocation profile, docs/benchmarks.md), those buffers were most of the ~110 KB
 * each cost. Sized here for what Countersign's requests carry: socket buffers of 4 KiB each way,
 * a servlet response buffer of 4 KiB (an answer with its grant is about 1.3 KB; a longer body is
 * simply sent in more than one chunk; with 2 KiB the flood test's reads were slower and noisier),
 * a response header buffer of 4 KiB (ours are a few hundred bytes), and no room for
 * chunked trailers, which no client of ours sends. Request headers keep Tomcat's 8 KiB: bearer tokens
 * from some issuers are long.
 */
@Component
class LongPollFriendlyTomcat implements WebServerFactoryCustomizer<TomcatServletWebServerFactory> {

    static final int RESPONSE_BUFFER = 4096;

    @Override
    public void customize(TomcatServletWebServerFactory factory) {
        factory.setProtocol(SmallBufferHttp11Protocol.class.getName());
        factory.addConnectorCustomizers(connector -> {
            connector.setProperty("socket.appReadBufSize", "4096");
            connector.setProperty("socket.appWriteBufSize", "4096");
            connector.setProperty("maxHttpResponseHeaderSize", "4096");
            connector.setProperty("maxTrailerSize", "256");
        });
    }

    /** HTTP/1.1 whose servlet responses buffer {@link #RESPONSE_BUFFER} bytes (and as many chars), not 8 KiB (and 8 Ki chars). */
    public static class SmallBufferHttp11Protocol extends Http11NioProtocol {

        @Override
        public int getDesiredBufferSize() {
            return RESPONSE_BUFFER;
        }
    }
}
