-- Issue 16: the audit chain (HUB-SPEC section 11). One append-only, hash-chained log: each entry's
-- hash covers the previous entry's hash and the entry's canonical JSON, so changing, removing or
-- reordering an entry breaks every hash after it. Retention never touches it.
CREATE TABLE audit_entry (
  seq           BIGINT PRIMARY KEY,
  at            TIMESTAMP WITH TIME ZONE NOT NULL,
  kind          VARCHAR(32) NOT NULL,
  actor         VARCHAR(64),
  message_id    VARCHAR(128),
  case_number   VARCHAR(64),
  agency        VARCHAR(64),
  detail        VARCHAR(2000),
  prev_hash     VARCHAR(64) NOT NULL,
  hash          VARCHAR(64) NOT NULL
);
CREATE INDEX audit_entry_message ON audit_entry (message_id, seq);
CREATE INDEX audit_entry_case ON audit_entry (case_number, seq);
CREATE INDEX audit_entry_agency ON audit_entry (agency, seq);
CREATE INDEX audit_entry_kind ON audit_entry (kind, seq);
CREATE INDEX audit_entry_at ON audit_entry (at, seq);

-- The chain's head: the serialisation point of every append. A transaction that recorded entries
-- locks this one row just before it commits (SELECT ... FOR UPDATE), numbers and hashes its
-- entries after the head, moves the head and commits, so instances sharing the database append in
-- commit order to one chain and never fork it.
CREATE TABLE audit_head (
  id    INT PRIMARY KEY,
  seq   BIGINT NOT NULL,
  hash  VARCHAR(64) NOT NULL
);
INSERT INTO audit_head (id, seq, hash)
  VALUES (1, 0, '0000000000000000000000000000000000000000000000000000000000000000');
