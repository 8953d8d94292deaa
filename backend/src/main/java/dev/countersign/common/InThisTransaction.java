package dev.countersign.common;

import java.util.HashMap;
import java.util.Map;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * What a transaction already knows, kept for the rest of it and forgotten when it ends (commit or
 * rollback): a grant just issued, the votes just counted. Read back instead of queried again.
 */
public final class InThisTransaction {

    private InThisTransaction() {
    }

    /**
     * The map bound to the current transaction under {@code key}, created on first use; an empty,
     * unmodifiable map outside a transaction, where nothing is kept.
     */
    @SuppressWarnings("unchecked")
    public static <K, V> Map<K, V> map(Object key) {
        if (!TransactionSynchronizationManager.isSynchronizationActive()) {
            return Map.of();
        }
        var known = (Map<K, V>) TransactionSynchronizationManager.getResource(key);
        if (known == null) {
            Map<K, V> fresh = new HashMap<>();
            TransactionSynchronizationManager.bindResource(key, fresh);
            TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
                @Override
                public void afterCompletion(int status) {
                    TransactionSynchronizationManager.unbindResourceIfPossible(key);
                }
            });
            return fresh;
        }
        return known;
    }
}
