package dev.countersign.audit.internal;

import dev.countersign.common.DatabaseUnavailable;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * Chains audit entries right after their transactions commit (woken by the commit), and every
 * second whatever another instance left unchained (it crashed between its commit and its chaining,
 * or its chainer lost the race for the tip). One thread per instance; instances take turns on the
 * tip's lock, each chaining every waiting entry, in batches.
 */
@Component
class AuditChainer implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(AuditChainer.class);
    private static final Duration SWEEP = Duration.ofSeconds(1);

    private final JdbcAuditLog audit;
    private final AtomicBoolean running = new AtomicBoolean();
    private Thread chainer;

    AuditChainer(JdbcAuditLog audit) {
        this.audit = audit;
    }

    @Override
    public void start() {
        if (!running.compareAndSet(false, true)) {
            return;
        }
        chainer = Thread.ofPlatform().name("countersign-audit-chainer").daemon().start(() -> {
            while (running.get()) {
                try {
                    audit.awaitWork(SWEEP);
                    audit.chain();
                } catch (InterruptedException stopping) {
                    return;
                } catch (RuntimeException failed) {
                    // The entries are committed and wait; the next turn chains them.
                    if (DatabaseUnavailable.is(failed)) {
                        log.debug("Cannot chain audit entries while the database is away", failed);
                    } else {
                        log.warn("Chaining audit entries failed; trying again in {} s", SWEEP.toSeconds(), failed);
                    }
                    pause();
                }
            }
        });
    }

    private static void pause() {
        try {
            Thread.sleep(SWEEP);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void stop() {
        running.set(false);
        if (chainer != null) {
            chainer.interrupt();
        }
    }

    @Override
    public boolean isRunning() {
        return running.get();
    }
}
