-- H2 has no partial indexes: the inbox pull, the webhook claim and the backlog gauges read the
-- waiting deliveries by ranges of delivery_inbox (V1). This migration keeps the version numbers of
-- both vendors in step with db/vendor/postgresql.
SELECT 1;
