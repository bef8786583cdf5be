package cn.gov.honghu.hub.message;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.BatchUpdateException;
import java.sql.SQLIntegrityConstraintViolationException;
import java.sql.SQLTimeoutException;
import java.sql.SQLTransientConnectionException;
import org.junit.jupiter.api.Test;
import org.springframework.dao.CannotAcquireLockException;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.CannotGetJdbcConnectionException;
import org.springframework.jdbc.UncategorizedSQLException;
import org.springframework.transaction.TransactionSystemException;

/** Which failures the hub answers with 503 and Retry-After (retry later) instead of 500. */
class StoreFailuresTest {

  @Test
  void shouldCallTheStoreUnavailableWhenNoConnectionOrLockCanBeHad() {
    assertThat(StoreFailures.isUnavailable(new CannotGetJdbcConnectionException("pool empty")))
        .isTrue();
    assertThat(StoreFailures.isUnavailable(new CannotAcquireLockException("lock timeout")))
        .isTrue();
  }

  @Test
  void shouldCallTheStoreUnavailableWhenATransientFailureArrivesWrapped() {
    // a commit on a lost connection, and a driver timeout Spring could not classify
    assertThat(
            StoreFailures.isUnavailable(
                new TransactionSystemException(
                    "commit failed", new SQLTransientConnectionException("connection lost"))))
        .isTrue();
    assertThat(
            StoreFailures.isUnavailable(
                new UncategorizedSQLException("pull", "SELECT", new SQLTimeoutException("slow"))))
        .isTrue();
  }

  @Test
  void shouldNotCallTheStoreUnavailableWhenARetryWouldFailAgain() {
    // a key violation is a broken store or a bug: 500, so that it is seen and fixed
    assertThat(
            StoreFailures.isUnavailable(
                new DuplicateKeyException(
                    "insert",
                    new BatchUpdateException(
                        new SQLIntegrityConstraintViolationException("primary key")))))
        .isFalse();
    assertThat(StoreFailures.isUnavailable(new IllegalStateException("bug"))).isFalse();
  }
}
