-- replytrack-postgres, migration 2: raw inbound bytes and the dead-letter table.
--
-- raw_inbound keeps what a provider delivered, under the SHA-256 of the bytes, until the host's
-- retention ends (Store::purge_raw). dead_letters keeps what could not be parsed, with the
-- error, until someone removes it; a purge of raw bytes does not touch it.

CREATE TABLE raw_inbound (
    sha256      text        PRIMARY KEY,
    source      text        NOT NULL,
    received_at timestamptz NOT NULL,
    bytes       bytea       NOT NULL
);
CREATE INDEX raw_inbound_received ON raw_inbound (received_at);

CREATE TABLE dead_letters (
    sha256      text        PRIMARY KEY,
    source      text        NOT NULL,
    received_at timestamptz NOT NULL,
    bytes       bytea       NOT NULL,
    error       text        NOT NULL
);
CREATE INDEX dead_letters_received ON dead_letters (received_at DESC, sha256 COLLATE "C" DESC);
