package dev.countersign.common;

import org.springframework.boot.jackson.autoconfigure.JsonMapperBuilderCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import tools.jackson.core.StreamReadFeature;

/**
 * One way of reading JSON for the whole API: a key given twice is an error, never "the last one
 * wins". Two readers that disagree on a body (the one that checks it and the one that acts on it)
 * are how requests get smuggled.
 */
@Configuration(proxyBeanMethods = false)
public class JsonReading {

    @Bean
    JsonMapperBuilderCustomizer refuseDuplicateKeys() {
        return builder -> builder.enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION);
    }
}
