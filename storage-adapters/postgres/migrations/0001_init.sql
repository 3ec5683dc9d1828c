-- replytrack-postgres, migration 1: records, timeline, dedupe keys, tokens, the job queue.
--
-- Every record keeps its whole serde form in `doc` (json, not jsonb: json keeps the NUL
-- characters an email body may carry, and the store never queries inside it). The columns beside
-- it hold what the store filters, sorts and constrains on. Runs with search_path set to the
-- store's schema.

-- A write that must touch rows, or abort its transaction: require_rows(count, what) raises
-- SQLSTATE RT409 with `what` as the message when count is 0. A commit's statements are sent in
-- one pipeline with its COMMIT, so a failed check has to abort the transaction server-side.
CREATE FUNCTION require_rows(n bigint, what text) RETURNS bigint
LANGUAGE plpgsql AS $$
BEGIN
    IF n = 0 THEN
        RAISE EXCEPTION USING ERRCODE = 'RT409', MESSAGE = what;
    END IF;
    RETURN n;
END
$$;

CREATE TABLE customers (
    id          uuid        PRIMARY KEY,
    external_id text,
    version     bigint      NOT NULL,
    created_at  timestamptz NOT NULL,
    doc         json        NOT NULL,
    CONSTRAINT customers_external_id_key UNIQUE (external_id)
);

-- One owner per address, across customers.
CREATE TABLE customer_emails (
    address     text PRIMARY KEY,
    customer_id uuid NOT NULL REFERENCES customers (id) ON DELETE CASCADE
);
CREATE INDEX customer_emails_customer ON customer_emails (customer_id);

CREATE TABLE conversations (
    id           uuid        PRIMARY KEY,
    customer_id  uuid        NOT NULL,
    status       text        NOT NULL CHECK (status IN ('open', 'pending', 'snoozed', 'resolved')),
    snooze_until timestamptz,
    channel      text        NOT NULL,
    assignee     text,
    team         text,
    labels       text[]      NOT NULL DEFAULT '{}',
    priority     text        NOT NULL,
    -- greatest(created_at, last_inbound_at, last_outbound_at): the inbox sorts on it.
    activity_at  timestamptz NOT NULL,
    created_at   timestamptz NOT NULL,
    version      bigint      NOT NULL,
    search       tsvector    NOT NULL,
    doc          json        NOT NULL,
    CHECK ((status = 'snoozed') = (snooze_until IS NOT NULL))
);
-- At most one conversation per customer that is not resolved.
CREATE UNIQUE INDEX conversations_one_active ON conversations (customer_id) WHERE status <> 'resolved';
CREATE INDEX conversations_activity ON conversations (activity_at DESC, id DESC);
CREATE INDEX conversations_customer ON conversations (customer_id, activity_at DESC, id DESC);
CREATE INDEX conversations_status ON conversations (status, activity_at DESC, id DESC);
CREATE INDEX conversations_assignee ON conversations (assignee, activity_at DESC, id DESC)
    WHERE assignee IS NOT NULL;
CREATE INDEX conversations_team ON conversations (team, activity_at DESC, id DESC)
    WHERE team IS NOT NULL;
-- The inbox's usual views: "open, assigned to me" and "open, for my team".
CREATE INDEX conversations_status_assignee
    ON conversations (status, assignee, activity_at DESC, id DESC) WHERE assignee IS NOT NULL;
CREATE INDEX conversations_status_team
    ON conversations (status, team, activity_at DESC, id DESC) WHERE team IS NOT NULL;
CREATE INDEX conversations_channel ON conversations (channel, activity_at DESC, id DESC);
CREATE INDEX conversations_labels ON conversations USING gin (labels);
CREATE INDEX conversations_snoozed ON conversations (snooze_until, id) WHERE status = 'snoozed';
CREATE INDEX conversations_search ON conversations USING gin (search);

-- Storage order of messages (a message moved to another conversation goes to its end).
CREATE SEQUENCE message_seq;

CREATE TABLE messages (
    id              uuid        PRIMARY KEY,
    seq             bigint      NOT NULL DEFAULT nextval('message_seq'),
    customer_id     uuid        NOT NULL,
    conversation_id uuid,
    direction       text        NOT NULL,
    rfc_message_id  text,
    created_at      timestamptz NOT NULL,
    version         bigint      NOT NULL,
    search          tsvector    NOT NULL,
    doc             json        NOT NULL
);
ALTER SEQUENCE message_seq OWNED BY messages.seq;
CREATE INDEX messages_conversation ON messages (conversation_id, seq) WHERE conversation_id IS NOT NULL;
CREATE INDEX messages_customer ON messages (customer_id, seq);
CREATE INDEX messages_rfc ON messages (rfc_message_id, seq) WHERE rfc_message_id IS NOT NULL;
CREATE INDEX messages_search ON messages USING gin (search);

-- One row per inbound message ever committed, with the message stored under it.
CREATE TABLE dedupe_keys (
    key        text        PRIMARY KEY,
    message_id uuid,
    created_at timestamptz NOT NULL
);

CREATE TABLE tokens (
    token           text        PRIMARY KEY,
    customer_id     uuid        NOT NULL,
    conversation_id uuid,
    message_id      uuid        NOT NULL,
    expires_at      timestamptz NOT NULL,
    doc             json        NOT NULL
);
CREATE INDEX tokens_customer ON tokens (customer_id);

CREATE TABLE events (
    id              uuid        PRIMARY KEY,
    seq             bigint      GENERATED ALWAYS AS IDENTITY,
    customer_id     uuid        NOT NULL,
    conversation_id uuid,
    message_id      uuid,
    at              timestamptz NOT NULL,
    kind            text        NOT NULL,
    doc             json        NOT NULL
);
CREATE INDEX events_customer ON events (customer_id, seq);
CREATE INDEX events_conversation ON events (conversation_id, seq) WHERE conversation_id IS NOT NULL;

CREATE TABLE jobs (
    id           uuid        PRIMARY KEY,
    kind         text        NOT NULL,
    message_id   uuid        NOT NULL,
    state        text        NOT NULL CHECK (state IN ('queued', 'leased', 'done', 'dead')),
    lease_until  timestamptz,
    finished_at  timestamptz,
    attempts     bigint      NOT NULL DEFAULT 0,
    max_attempts bigint      NOT NULL,
    run_at       timestamptz NOT NULL,
    last_error   text,
    created_at   timestamptz NOT NULL,
    CHECK ((state = 'leased') = (lease_until IS NOT NULL)),
    CHECK ((state IN ('done', 'dead')) = (finished_at IS NOT NULL))
);
-- Workers scan the unfinished jobs of a kind, oldest run_at first.
CREATE INDEX jobs_pending ON jobs (kind, run_at, id) WHERE state IN ('queued', 'leased');
CREATE INDEX jobs_message ON jobs (message_id);
