-- replytrack SQLite schema, version 2: the inbox list and the customer link.
--
-- customers.phone is the customer's phone in E.164 (replytrack::inbox::whatsapp::normalize_phone),
-- for customer_by_phone. conversations.priority is a filter of the inbox. messages.direction
-- finds a conversation's latest message that is not a private note; messages.response_type is
-- the analysed response type, a filter of the inbox. read_marks holds when each agent last read
-- each conversation. Existing rows are filled from their JSON records.

ALTER TABLE customers ADD COLUMN phone TEXT;
UPDATE customers SET phone = (
    SELECT CASE WHEN d <> '' AND d NOT GLOB '*[^0-9]*' AND length(d) BETWEEN 6 AND 15
                THEN '+' || d END
    FROM (SELECT replace(replace(replace(replace(replace(
                     CASE WHEN substr(t, 1, 1) = '+' THEN substr(t, 2) ELSE t END,
                     ' ', ''), '-', ''), '.', ''), '(', ''), ')', '') AS d
          FROM (SELECT trim(json_extract(record, '$.phone')) AS t))
)
WHERE json_extract(record, '$.phone') IS NOT NULL;
CREATE INDEX customers_phone ON customers (phone, id) WHERE phone IS NOT NULL;

ALTER TABLE conversations ADD COLUMN priority TEXT NOT NULL DEFAULT 'none';
UPDATE conversations SET priority = coalesce(json_extract(record, '$.priority'), 'none');

ALTER TABLE messages ADD COLUMN direction TEXT;
ALTER TABLE messages ADD COLUMN response_type TEXT;
UPDATE messages SET direction = json_extract(record, '$.direction'),
                    response_type = json_extract(record, '$.analysis.response_type');
CREATE INDEX messages_response ON messages (conversation, response_type)
    WHERE response_type IS NOT NULL;

CREATE TABLE read_marks (
    conversation TEXT NOT NULL REFERENCES conversations (id),
    agent        TEXT NOT NULL,
    at           INTEGER NOT NULL,
    PRIMARY KEY (conversation, agent)
) WITHOUT ROWID;
