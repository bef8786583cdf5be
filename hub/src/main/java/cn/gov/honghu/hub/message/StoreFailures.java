package cn.gov.honghu.hub.message;

import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTransientException;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.RecoverableDataAccessException;
import org.springframework.dao.TransientDataAccessException;
import org.springframework.transaction.CannotCreateTransactionException;

/**
 * Which failures mean "the store cannot take the message now": the database is unreachable, or
 * refused the transaction for a passing reason (a deadlock, a lock or query timeout). Nothing was
 * stored (the transaction rolled back), so the hub answers 503 and the client may retry. The HTTP
 * front and the ingest metrics both ask here.
 *
 * <p>The whole cause chain is read: such a failure may arrive wrapped, e.g. a commit or rollback
 * that failed on a lost connection, or a driver's transient {@code SQLException} that Spring could
 * not classify. A failure that would happen again on retry (a constraint violation, a bug) is not
 * one of them: it stays a 500.
 */
public final class StoreFailures {

  private StoreFailures() {}

  public static boolean isUnavailable(Throwable failure) {
    for (Throwable cause = failure; cause != null; cause = next(cause)) {
      if (cause instanceof DataAccessResourceFailureException
          || cause instanceof CannotCreateTransactionException
          || cause instanceof TransientDataAccessException
          || cause instanceof RecoverableDataAccessException
          || cause instanceof SQLTransientException
          || cause instanceof SQLRecoverableException
          || cause instanceof SQLNonTransientConnectionException) {
        return true;
      }
    }
    return false;
  }

  private static Throwable next(Throwable failure) {
    Throwable cause = failure.getCause();
    return cause == failure ? null : cause;
  }
}
