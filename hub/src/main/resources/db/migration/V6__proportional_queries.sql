-- Issue 15: queries that cost the same with a million finished deliveries behind them.

-- The claim now walks delivery_inbox in order; an index on next_attempt_at could not supply that
-- order, and H2 preferred it (then sorted every due row of the agency per claim).
DROP INDEX delivery_due;

-- Undoing a retracted message's closures (deadlines/DeadlineBook) looks deadlines up by closed_by.
CREATE INDEX case_deadline_closed_by ON case_deadline (closed_by);

-- The admin list of incidents pages newest first (alerts/Incidents).
CREATE INDEX incident_opened ON incident (opened_at, incident_id);

-- The admin statistics: transfers and their filing decisions, rectification notices (D5).
CREATE INDEX hub_message_type ON hub_message (type, case_key);
CREATE INDEX case_deadline_kind ON case_deadline (deadline_id, state);

-- Running totals of the admin statistics (store/StatCounters): each total is the sum of up to 8
-- shard rows, so that concurrent accepting transactions of one sender do not queue on one row.
CREATE TABLE stat_counter (
  agency  VARCHAR(32) NOT NULL,
  metric  VARCHAR(16) NOT NULL,
  item    VARCHAR(40) NOT NULL,
  shard   SMALLINT    NOT NULL,
  n       BIGINT      NOT NULL,
  PRIMARY KEY (agency, metric, item, shard)
);
-- What the history holds so far, so that a hub upgraded with data keeps its figures.
INSERT INTO stat_counter (agency, metric, item, shard, n)
  SELECT sender, 'accepted', type, 0, COUNT(*) FROM hub_message WHERE sender <> 'hub'
  GROUP BY sender, type;
INSERT INTO stat_counter (agency, metric, item, shard, n)
  SELECT recipient, 'routed', '', 0, COUNT(*) FROM delivery GROUP BY recipient;
INSERT INTO stat_counter (agency, metric, item, shard, n)
  SELECT agency, 'rejected', '', 0, COUNT(*) FROM hub_event
  WHERE kind = 'REFUSED' AND agency IS NOT NULL GROUP BY agency;
