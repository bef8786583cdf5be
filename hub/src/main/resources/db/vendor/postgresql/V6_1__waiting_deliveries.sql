-- PostgreSQL only (spring.flyway.locations adds db/vendor/{vendor}). The waiting deliveries in a
-- partial index: queued ones, and delivered ones (a pull agency's wait for the ack; a push agency's
-- are finished, but the state alone cannot tell them apart), without the acknowledged, failed and
-- discarded history. The inbox pull, the webhook claim and the backlog gauges read it; H2 has no
-- partial indexes and reads delivery_inbox for the same queries (db/vendor/h2).
CREATE INDEX delivery_waiting ON delivery (recipient, state, priority, id)
  WHERE state IN ('QUEUED', 'DELIVERED');

-- The webhook claim's probe "is an earlier delivery of this case still queued for this agency?"
-- reads only queued rows.
CREATE INDEX delivery_queued_case ON delivery (case_key, recipient, id) WHERE state = 'QUEUED';
