-- Issue 16: four eyes (HUB-SPEC section 11). A batch replay that matches more than
-- hub.admin.four-eyes-threshold failed deliveries is stored here as PENDING and changes nothing
-- until a different admin approves it (APPROVED) or any admin rejects it (REJECTED, with a reason).
-- The state moves only by a conditional update (WHERE state = 'PENDING'), so two concurrent
-- approvals replay once.
CREATE TABLE approval (
  approval_id      VARCHAR(36) PRIMARY KEY,
  state            VARCHAR(16) NOT NULL,
  requested_by     VARCHAR(64) NOT NULL,
  requested_at     TIMESTAMP WITH TIME ZONE NOT NULL,
  reason           VARCHAR(1000) NOT NULL,
  filter           VARCHAR(2000) NOT NULL,
  matched          INT NOT NULL,
  decided_by       VARCHAR(64),
  decided_at       TIMESTAMP WITH TIME ZONE,
  decision_reason  VARCHAR(1000),
  queued           INT
);
CREATE INDEX approval_state ON approval (state, requested_at);

-- The failed deliveries the request matched when it was made: an approval replays these (those of
-- them still failed), never what the filter would match by the time the second admin looks.
CREATE TABLE approval_delivery (
  approval_id  VARCHAR(36) NOT NULL REFERENCES approval (approval_id),
  delivery_id  VARCHAR(36) NOT NULL,
  PRIMARY KEY (approval_id, delivery_id)
);
