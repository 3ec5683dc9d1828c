-- replytrack-postgres, migration 3: the inbox list and the customer link.
--
-- customers.phone is the customer's phone in E.164 (replytrack::inbox::whatsapp::normalize_phone),
-- for customer_by_phone. messages.response_type is the analysed response type, a filter of the
-- inbox. read_marks holds when each agent last read each conversation. Existing rows are filled
-- from their documents.

ALTER TABLE customers ADD COLUMN phone text;
UPDATE customers AS c SET phone = CASE WHEN n.d ~ '^[0-9]{6,15}$' THEN '+' || n.d END
FROM (SELECT id, regexp_replace(regexp_replace(btrim(doc->>'phone'), '^\+', ''), '[ .()-]', '', 'g') AS d
      FROM customers WHERE doc->>'phone' IS NOT NULL) AS n
WHERE c.id = n.id;
CREATE INDEX customers_phone ON customers (phone, id) WHERE phone IS NOT NULL;

ALTER TABLE messages ADD COLUMN response_type text;
UPDATE messages SET response_type = doc->'analysis'->>'response_type'
WHERE doc->'analysis' IS NOT NULL;
CREATE INDEX messages_response ON messages (conversation_id, response_type)
    WHERE response_type IS NOT NULL;

CREATE TABLE read_marks (
    conversation_id uuid        NOT NULL,
    agent           text        NOT NULL,
    at              timestamptz NOT NULL,
    PRIMARY KEY (conversation_id, agent)
);
