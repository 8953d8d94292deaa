package dev.countersign.common;

import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.transaction.CannotCreateTransactionException;

/**
 * Whether a failure means the database cannot be reached (a connection that cannot be had or was
 * lost), as opposed to a fault in what was asked of it: the first is a {@code 503} worth retrying,
 * the second a {@code 500}.
 */
public final class DatabaseUnavailable {

    private DatabaseUnavailable() {
    }

    public static boolean is(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause() == cause ? null : cause.getCause()) {
            if (cause instanceof CannotCreateTransactionException || cause instanceof DataAccessResourceFailureException
                    || cause instanceof SQLTransientConnectionException || cause instanceof java.net.ConnectException) {
                return true;
            }
            // SQLState class 08: connection exception (SQL standard), whichever driver says it.
            if (cause instanceof SQLException sql && sql.getSQLState() != null && sql.getSQLState().startsWith("08")) {
                return true;
            }
            // PostgreSQL's lock_timeout (55P03) and statement_timeout (57014): a lock or a slow statement held the call
            // past countersign.database.lock-timeout / statement-timeout. Nothing was done; asking again later is safe.
            if (cause instanceof SQLException sql && ("55P03".equals(sql.getSQLState()) || "57014".equals(sql.getSQLState()))) {
                return true;
            }
            // The pool retires a connection that failed with a class 08 state; a rollback on it then fails with this,
            // without a state, and replaces the original failure.
            if (cause instanceof SQLException sql && "Connection is closed".equals(sql.getMessage()) && sql.getStackTrace().length > 0
                    && sql.getStackTrace()[0].getClassName().startsWith("com.zaxxer.hikari.")) {
                return true;
            }
        }
        return false;
    }

    public static String rootMessage(Throwable failure) {
        Throwable root = failure;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return String.valueOf(root.getMessage());
    }
}
