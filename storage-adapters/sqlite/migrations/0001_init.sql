-- replytrack SQLite schema, version 1.
--
-- Each record is kept whole as JSON in `record`; the columns beside it are the fields the
-- store checks and queries, so every invariant and every query of the Store trait has its
-- index. Times are integer microseconds since the Unix epoch (UTC). Ids are their text form
-- (`cus_…`, `cnv_…`), which sorts like the ids themselves.

CREATE TABLE customers (
    id          TEXT PRIMARY KEY NOT NULL,
    external_id TEXT,
    version     INTEGER NOT NULL,
    record      TEXT NOT NULL
);
-- One customer per external id.
CREATE UNIQUE INDEX customers_external_id ON customers (external_id)
    WHERE external_id IS NOT NULL;

-- One customer per email address (lowercase).
CREATE TABLE customer_emails (
    address  TEXT PRIMARY KEY NOT NULL,
    customer TEXT NOT NULL REFERENCES customers (id)
) WITHOUT ROWID;
CREATE INDEX customer_emails_customer ON customer_emails (customer);

CREATE TABLE conversations (
    seq          INTEGER PRIMARY KEY,
    id           TEXT NOT NULL UNIQUE,
    customer     TEXT NOT NULL REFERENCES customers (id),
    status       TEXT NOT NULL,
    snooze_until INTEGER,
    assignee     TEXT,
    team         TEXT,
    channel      TEXT NOT NULL,
    subject      TEXT,
    activity     INTEGER NOT NULL,
    version      INTEGER NOT NULL,
    record       TEXT NOT NULL
);
-- At most one conversation per customer that is not resolved.
CREATE UNIQUE INDEX conversations_one_current ON conversations (customer)
    WHERE status <> 'resolved';
-- Inbox lists: newest activity first, by each filter.
CREATE INDEX conversations_activity ON conversations (activity, id);
CREATE INDEX conversations_customer ON conversations (customer, activity, id);
CREATE INDEX conversations_status ON conversations (status, activity, id);
CREATE INDEX conversations_assignee ON conversations (assignee, activity, id)
    WHERE assignee IS NOT NULL;
CREATE INDEX conversations_team ON conversations (team, activity, id)
    WHERE team IS NOT NULL;
CREATE INDEX conversations_channel ON conversations (channel, activity, id);
-- Snoozes that end, soonest first.
CREATE INDEX conversations_snoozed ON conversations (snooze_until, id)
    WHERE snooze_until IS NOT NULL;

-- Labels, with the conversation's activity copied so a label list walks one index in order.
CREATE TABLE conversation_labels (
    label        TEXT NOT NULL,
    activity     INTEGER NOT NULL,
    conversation TEXT NOT NULL REFERENCES conversations (id),
    PRIMARY KEY (label, activity, conversation)
) WITHOUT ROWID;
CREATE INDEX conversation_labels_conversation ON conversation_labels (conversation);

CREATE TABLE messages (
    seq            INTEGER PRIMARY KEY,
    id             TEXT NOT NULL UNIQUE,
    customer       TEXT NOT NULL REFERENCES customers (id),
    conversation   TEXT REFERENCES conversations (id),
    -- Position in the conversation's thread (1, 2, …), in the order messages joined it.
    thread_seq     INTEGER NOT NULL,
    rfc_message_id TEXT,
    version        INTEGER NOT NULL,
    record         TEXT NOT NULL
);
CREATE INDEX messages_thread ON messages (conversation, thread_seq)
    WHERE conversation IS NOT NULL;
CREATE INDEX messages_rfc ON messages (rfc_message_id)
    WHERE rfc_message_id IS NOT NULL;

-- Full-text search: the words (replytrack::ports::text_words) of each conversation's subject
-- and of each message's subject and body. Contentless: rowid is the record's seq.
CREATE VIRTUAL TABLE conversation_search USING fts5 (
    words, content = '', contentless_delete = 1,
    tokenize = 'unicode61 remove_diacritics 0'
);
CREATE VIRTUAL TABLE message_search USING fts5 (
    words, content = '', contentless_delete = 1,
    tokenize = 'unicode61 remove_diacritics 0'
);

-- One record per token.
CREATE TABLE tokens (
    token    TEXT PRIMARY KEY NOT NULL,
    customer TEXT NOT NULL REFERENCES customers (id),
    record   TEXT NOT NULL
) WITHOUT ROWID;

-- Timelines, in the order events were stored (seq).
CREATE TABLE events (
    seq          INTEGER PRIMARY KEY,
    customer     TEXT NOT NULL REFERENCES customers (id),
    conversation TEXT REFERENCES conversations (id),
    record       TEXT NOT NULL
);
CREATE INDEX events_customer ON events (customer, seq);
CREATE INDEX events_conversation ON events (conversation, seq)
    WHERE conversation IS NOT NULL;

-- One stored copy per inbound message.
CREATE TABLE dedupe_keys (
    key     TEXT PRIMARY KEY NOT NULL,
    message TEXT
) WITHOUT ROWID;

-- The durable job queue. state: queued | leased | done | dead.
CREATE TABLE jobs (
    id           TEXT PRIMARY KEY NOT NULL,
    kind         TEXT NOT NULL,
    message      TEXT NOT NULL,
    state        TEXT NOT NULL,
    lease_until  INTEGER,
    finished_at  INTEGER,
    attempts     INTEGER NOT NULL,
    max_attempts INTEGER NOT NULL,
    run_at       INTEGER NOT NULL,
    last_error   TEXT,
    created_at   INTEGER NOT NULL
) WITHOUT ROWID;
-- Claims walk the unfinished jobs of a kind, oldest run_at first.
CREATE INDEX jobs_pending ON jobs (kind, run_at, id)
    WHERE state IN ('queued', 'leased');

-- Raw inbound bytes, kept until the host's retention period ends.
CREATE TABLE raw_inbound (
    seq         INTEGER PRIMARY KEY,
    sha256      TEXT NOT NULL UNIQUE,
    source      TEXT NOT NULL,
    received_at INTEGER NOT NULL,
    bytes       BLOB NOT NULL
);
CREATE INDEX raw_inbound_received ON raw_inbound (received_at);

-- What could not be parsed, with the error.
CREATE TABLE dead_letters (
    seq         INTEGER PRIMARY KEY,
    sha256      TEXT NOT NULL UNIQUE,
    source      TEXT NOT NULL,
    received_at INTEGER NOT NULL,
    error       TEXT NOT NULL,
    bytes       BLOB NOT NULL
);
CREATE INDEX dead_letters_received ON dead_letters (received_at, sha256);
