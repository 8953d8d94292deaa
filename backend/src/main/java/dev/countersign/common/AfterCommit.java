package dev.countersign.common;

import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * Work that must only happen once what it reports is committed (a metric counting a decision, a waiter woken): run
 * after the current transaction commits, never after a rollback; at once when no transaction is running.
 *
 * <p>Best-effort reactions to an event use {@link #react} from a plain {@code @EventListener} rather than a
 * {@code @TransactionalEventListener}: Spring Modulith's event publication registry stores a publication for every
 * transactional listener, which is right for a durable one ({@code @ApplicationModuleListener}) and two writes for
 * nothing on a hot path for one whose miss a sweep or a later event covers. {@code ModularityTest} keeps it so.
 */
public final class AfterCommit {

    private AfterCommit() {
    }

    /** Right after the commit, before any {@link #react} work of the same transaction. */
    public static void run(Runnable work) {
        if (!TransactionSynchronizationManager.isSynchronizationActive()) {
            work.run();
            return;
        }
        TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
            @Override
            public void afterCommit() {
                work.run();
            }
        });
    }

    /**
     * When the transaction has completed with a commit: where a {@code @TransactionalEventListener} would run, after
     * every {@link #run} callback (a waiter handed its answer by the deciding transaction is gone by then).
     */
    public static void react(Runnable work) {
        if (!TransactionSynchronizationManager.isSynchronizationActive()) {
            work.run();
            return;
        }
        TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
            @Override
            public void afterCompletion(int status) {
                if (status == STATUS_COMMITTED) {
                    work.run();
                }
            }
        });
    }
}
