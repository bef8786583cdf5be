package cn.gov.honghu.hub.delivery;

import jakarta.jms.Connection;
import jakarta.jms.ConnectionFactory;
import jakarta.jms.JMSException;
import jakarta.jms.Session;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Whether the broker takes work now, from a probe that opens a fresh connection and session (not a
 * cached one, which can look alive after the broker went away). Ingest consults it and answers 503
 * while the broker is down, so accepted work cannot pile up in the outbox unseen.
 */
public final class BrokerAvailability {

  private static final Logger log = LoggerFactory.getLogger(BrokerAvailability.class);

  private final ConnectionFactory probeConnections;
  private volatile boolean available = true;

  public BrokerAvailability(ConnectionFactory probeConnections) {
    this.probeConnections = probeConnections;
  }

  public boolean isAvailable() {
    return available;
  }

  /** Probes the broker and records the result; returns it. */
  public boolean probe() {
    boolean now;
    try (Connection connection = probeConnections.createConnection();
        Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE)) {
      now = session != null;
    } catch (JMSException | RuntimeException e) {
      now = false;
    }
    if (now != available) {
      if (now) {
        log.info("Broker reachable again; ingest accepts messages");
      } else {
        log.warn("Broker unreachable; ingest answers 503 until it is back");
      }
    }
    available = now;
    return now;
  }
}
