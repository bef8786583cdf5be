-- Issue 15: retention (HUB-SPEC section 11). Finished deliveries and their attempts are purged
-- after hub.retention.finished-deliveries, events bounded the same way, and personal data removed
-- from envelopes after hub.retention.personal-data counted from a case's last message. Index names
-- carry "retention" so that they never clash with the query indexes of other migrations.

-- When an admin discarded a failed delivery: retention counts from the discard, not the failure.
ALTER TABLE delivery ADD COLUMN discarded_at TIMESTAMP WITH TIME ZONE;
UPDATE delivery SET discarded_at = COALESCE(failed_at, created_at) WHERE state = 'DISCARDED';

-- Retention removed the personal data of the message's envelope (or found none to remove): the
-- job's scan reads only rows where it is FALSE, so finished messages are not read every night. A
-- boolean, not a nullable timestamp: an equality on the index's first column lets both databases
-- walk the index in (accepted_at, accept_seq) order without sorting the candidates.
ALTER TABLE hub_message ADD COLUMN personal_data_removed BOOLEAN DEFAULT FALSE NOT NULL;

-- The purge scans, each an index range in the order the job walks it. Discarded deliveries are
-- few (an admin's decision each): their scan reads the range state = 'DISCARDED' of delivery_failed
-- (V4) rather than costing every delivery insert another index entry.
CREATE INDEX delivery_retention_acked ON delivery (state, acked_at);
CREATE INDEX delivery_retention_pushed ON delivery (recipient, state, delivered_at);
CREATE INDEX hub_event_retention ON hub_event (at, id);
CREATE INDEX hub_message_retention ON hub_message (personal_data_removed, accepted_at, accept_seq);

-- One row per periodic duty that must run on one instance at a time. The instance that moves
-- lease_until forward with a conditional update runs the duty and renews the lease between its
-- batches; a crashed holder's lease runs out. last_started_at is the claim of one scheduled run:
-- two instances whose schedules fire together both read it, one update matches.
CREATE TABLE duty_lock (
  duty              VARCHAR(32) PRIMARY KEY,
  holder            VARCHAR(64),
  lease_until       TIMESTAMP WITH TIME ZONE,
  last_started_at   TIMESTAMP WITH TIME ZONE,
  last_finished_at  TIMESTAMP WITH TIME ZONE
);
INSERT INTO duty_lock (duty) VALUES ('retention');

-- Retention purges discarded deliveries; the admin stats count them instead (StatCounters).
INSERT INTO stat_counter (agency, metric, item, shard, n)
  SELECT recipient, 'discarded', '', 0, COUNT(*) FROM delivery WHERE state = 'DISCARDED'
  GROUP BY recipient;
