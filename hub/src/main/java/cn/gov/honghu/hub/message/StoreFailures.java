package cn.gov.honghu.hub.message;

import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.RecoverableDataAccessException;
import org.springframework.dao.TransientDataAccessException;
import org.springframework.transaction.CannotCreateTransactionException;

/**
 * Which failures mean "the store cannot take the message now": the database is unreachable, or
 * refused the transaction for a passing reason (a deadlock, a timeout). Nothing was stored (the
 * accepting transaction rolled back), so the hub answers 503 and the sender may retry. The HTTP
 * front and the ingest metrics both ask here.
 */
public final class StoreFailures {

  private StoreFailures() {}

  public static boolean isUnavailable(Throwable failure) {
    return failure instanceof DataAccessResourceFailureException
        || failure instanceof CannotCreateTransactionException
        || failure instanceof TransientDataAccessException
        || failure instanceof RecoverableDataAccessException;
  }
}
