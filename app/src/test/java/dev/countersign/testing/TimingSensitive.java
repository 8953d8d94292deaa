package dev.countersign.testing;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.Tag;

/**
 * A test whose claim is about time on this machine (an answer within a deadline, a latency against an idle one): the
 * build runs these alone, after the others, which run in two JVMs side by side (app/pom.xml, surefire's
 * {@code timing-sensitive} execution), so that another test's load never decides them.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Tag(TimingSensitive.TAG)
public @interface TimingSensitive {

    String TAG = "timing-sensitive";
}
