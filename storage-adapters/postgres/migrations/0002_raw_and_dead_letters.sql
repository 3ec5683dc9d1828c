-- replytrack-postgres, migration 2: raw inbound bytes and the dead-letter table.
--
-- raw_messages keeps what a provider delivered, under the message's dedupe key, until the
-- retention the host chooses (PgStore::purge_raw). dead_letters keeps what could not be parsed
-- or stored, with the error, for a person to look at.

CREATE TABLE raw_messages (
    dedupe_key  text        PRIMARY KEY,
    received_at timestamptz NOT NULL,
    raw         bytea       NOT NULL
);
CREATE INDEX raw_messages_received ON raw_messages (received_at);

CREATE TABLE dead_letters (
    id          bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    received_at timestamptz NOT NULL,
    source      text        NOT NULL,
    error       text        NOT NULL,
    raw         bytea       NOT NULL
);
CREATE INDEX dead_letters_received ON dead_letters (received_at, id);
