package cn.gov.honghu.hub.bench;

import cn.gov.honghu.hub.bench.AgencyClient.Delivery;
import cn.gov.honghu.hub.bench.AgencyClient.PostAnswer;
import cn.gov.honghu.hub.bench.Workload.Task;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The books of one load phase: what was posted (and when it was meant to be), what was answered,
 * what each recipient pulled and acknowledged. At the end it checks the hub's promise for every
 * 202: delivered to each listed recipient, once (one deliveryId), and acknowledged.
 */
final class Ledger {

  private final ConcurrentHashMap<String, Long> sentNanos = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<String, List<String>> accepted = new ConcurrentHashMap<>();
  private final Set<String> alerts = ConcurrentHashMap.newKeySet();
  private final ConcurrentHashMap<String, Long> pulledNanos = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<String, Long> ackedNanos = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<String, Set<String>> deliveryIds = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<Integer, AtomicInteger> statuses = new ConcurrentHashMap<>();
  private final AtomicInteger transportErrors = new AtomicInteger();
  private final AtomicLong expected = new AtomicLong();
  private final AtomicLong acknowledged = new AtomicLong();
  private final AtomicLong foreign = new AtomicLong();
  private final Samples acceptLatency = new Samples();
  private final Samples alertAcceptLatency = new Samples();
  private final AtomicLong lastAckNanos = new AtomicLong();

  /** Call before the post leaves; {@code nanos} is when it was sent, or meant to be sent. */
  void sent(Task task, long nanos) {
    sentNanos.put(task.messageId(), nanos);
    if (task.isAlert()) {
      alerts.add(task.messageId());
    }
  }

  void answered(Task task, PostAnswer answer, long latencyNanos) {
    statuses.computeIfAbsent(answer.status(), s -> new AtomicInteger()).incrementAndGet();
    acceptLatency.add(latencyNanos);
    if (task.isAlert()) {
      alertAcceptLatency.add(latencyNanos);
    }
    if (answer.status() == 202) {
      accepted.put(task.messageId(), answer.recipients());
      expected.addAndGet(answer.recipients().size());
    }
  }

  void failed(long latencyNanos) {
    transportErrors.incrementAndGet();
    acceptLatency.add(latencyNanos);
  }

  /**
   * A delivery pulled at {@code nanos}; false when it is not a message of this phase (then only
   * acknowledged).
   */
  boolean pulled(String recipient, Delivery delivery, long nanos) {
    if (delivery.messageId() == null || !sentNanos.containsKey(delivery.messageId())) {
      foreign.incrementAndGet();
      return false;
    }
    String key = delivery.messageId() + ' ' + recipient;
    deliveryIds.computeIfAbsent(key, k -> ConcurrentHashMap.newKeySet()).add(delivery.deliveryId());
    pulledNanos.putIfAbsent(key, nanos);
    return true;
  }

  /**
   * A delivery acknowledged at {@code nanos}. Only messages this run posted count: the hub's own
   * (an {@code ALERT_ESCALATION} 15 minutes after an unacknowledged alert, say) are foreign, and
   * counting their acknowledgements made a long soak look drained while some of its own were not.
   */
  void acknowledged(String recipient, String messageId, long nanos) {
    if (messageId == null || !sentNanos.containsKey(messageId)) {
      return;
    }
    if (ackedNanos.putIfAbsent(messageId + ' ' + recipient, nanos) == null) {
      acknowledged.incrementAndGet();
      lastAckNanos.accumulateAndGet(nanos, Math::max);
    }
  }

  /** Every recipient of every accepted alert so far has pulled it. */
  boolean alertsPulled() {
    for (String alert : alerts) {
      for (String recipient : accepted.getOrDefault(alert, List.of())) {
        if (!pulledNanos.containsKey(alert + ' ' + recipient)) {
          return false;
        }
      }
    }
    return true;
  }

  /** The accepted case messages (not alerts) still waiting for some recipient's acknowledgement. */
  record Backlog(long messages, Map<String, Long> deliveriesByRecipient) {}

  Backlog caseBacklog() {
    long messages = 0;
    Map<String, Long> byRecipient = new TreeMap<>();
    for (Map.Entry<String, List<String>> message : accepted.entrySet()) {
      if (alerts.contains(message.getKey())) {
        continue;
      }
      boolean waiting = false;
      for (String recipient : message.getValue()) {
        if (!ackedNanos.containsKey(message.getKey() + ' ' + recipient)) {
          waiting = true;
          byRecipient.merge(recipient, 1L, Long::sum);
        }
      }
      messages += waiting ? 1 : 0;
    }
    return new Backlog(messages, byRecipient);
  }

  /** Every delivery of every 202 so far is acknowledged. */
  boolean allAcknowledged() {
    return acknowledged.get() >= expected.get();
  }

  long lastAckNanos() {
    return lastAckNanos.get();
  }

  int posted() {
    return sentNanos.size();
  }

  int accepted() {
    return accepted.size();
  }

  long expectedDeliveries() {
    return expected.get();
  }

  long acknowledgedDeliveries() {
    return acknowledged.get();
  }

  long foreignDeliveries() {
    return foreign.get();
  }

  int transportErrors() {
    return transportErrors.get();
  }

  /** Answers other than 202, by status. */
  Map<Integer, Integer> refusals() {
    Map<Integer, Integer> refused = new TreeMap<>();
    statuses.forEach(
        (status, count) -> {
          if (status != 202) {
            refused.put(status, count.get());
          }
        });
    return refused;
  }

  Samples acceptLatency() {
    return acceptLatency;
  }

  /** The answer times of the alerts' posts alone. */
  Samples alertAcceptLatency() {
    return alertAcceptLatency;
  }

  /** The outcome of the delivery check. */
  record Check(
      long lost,
      long doubled,
      long unexpected,
      Samples caseE2e,
      Samples alertE2e,
      Samples alertPulled) {}

  /**
   * For every 202: each receipt recipient acknowledged it (else lost), under a single deliveryId
   * (else doubled); nobody else got it (else unexpected). Also the end-to-end time of each message,
   * from its (intended) post to the last recipient's acknowledgement, and for alerts to the last
   * recipient's first pull.
   */
  Check check() {
    long lost = 0;
    Samples caseE2e = new Samples();
    Samples alertE2e = new Samples();
    Samples alertPulled = new Samples();
    for (Map.Entry<String, List<String>> message : accepted.entrySet()) {
      long lastAck = -1;
      long lastPull = -1;
      for (String recipient : message.getValue()) {
        String key = message.getKey() + ' ' + recipient;
        Long at = ackedNanos.get(key);
        if (at == null) {
          lost++;
        } else {
          lastAck = Math.max(lastAck, at);
          lastPull = Math.max(lastPull, pulledNanos.getOrDefault(key, at));
        }
      }
      if (lastAck > 0) {
        long sent = sentNanos.get(message.getKey());
        boolean alert = alerts.contains(message.getKey());
        (alert ? alertE2e : caseE2e).add(lastAck - sent);
        if (alert) {
          alertPulled.add(lastPull - sent);
        }
      }
    }
    long doubled = deliveryIds.values().stream().filter(ids -> ids.size() > 1).count();
    long unexpected = 0;
    for (String key : new ArrayList<>(ackedNanos.keySet())) {
      int space = key.indexOf(' ');
      List<String> recipients = accepted.get(key.substring(0, space));
      if (recipients == null || !recipients.contains(key.substring(space + 1))) {
        unexpected++;
      }
    }
    return new Check(lost, doubled, unexpected, caseE2e, alertE2e, alertPulled);
  }
}
