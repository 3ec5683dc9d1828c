//! The plain reads: one indexed lookup each, records decoded from their JSON.

use replytrack::conversation::{
    Conversation, ConversationId, Customer, CustomerId, Message, MessageId, TimelineEvent,
    TokenRecord,
};
use replytrack::ports::{DedupeKey, Seen, StoreError, TimelineScope};
use replytrack::token::ReplyToken;
use rusqlite::{Connection, OptionalExtension};
use serde::de::DeserializeOwned;

use crate::codec::{decode, parse};
use crate::error::SqliteError;

type Result<T> = std::result::Result<T, StoreError>;

/// The record in the first column of the one row `sql` finds for `key`, if any.
fn one<T: DeserializeOwned>(
    conn: &Connection,
    entity: &'static str,
    sql: &'static str,
    key: &str,
) -> Result<Option<T>> {
    let json: Option<String> = conn
        .prepare_cached(sql)
        .and_then(|mut s| s.query_row([key], |r| r.get(0)).optional())
        .map_err(SqliteError::sql("reading a record"))?;
    Ok(match json {
        Some(j) => Some(decode(entity, key, &j)?),
        None => None,
    })
}

/// Every record in the first column of the rows `sql` finds for `key`, in its order.
fn all<T: DeserializeOwned>(
    conn: &Connection,
    entity: &'static str,
    sql: &'static str,
    key: &str,
) -> Result<Vec<T>> {
    let mut stmt = conn
        .prepare_cached(sql)
        .map_err(SqliteError::sql("reading records"))?;
    let rows = stmt
        .query_map([key], |r| r.get::<_, String>(0))
        .map_err(SqliteError::sql("reading records"))?;
    let mut out = Vec::new();
    for json in rows {
        let json = json.map_err(SqliteError::sql("reading records"))?;
        out.push(decode(entity, key, &json)?);
    }
    Ok(out)
}

pub(crate) fn customer(conn: &Connection, id: CustomerId) -> Result<Option<Customer>> {
    one(
        conn,
        "customer",
        "SELECT record FROM customers WHERE id = ?1",
        &id.to_string(),
    )
}

pub(crate) fn customer_by_email(conn: &Connection, address: &str) -> Result<Option<Customer>> {
    one(
        conn,
        "customer",
        "SELECT c.record FROM customer_emails AS e JOIN customers AS c ON c.id = e.customer
         WHERE e.address = ?1",
        &address.trim().to_lowercase(),
    )
}

pub(crate) fn customer_by_external_id(
    conn: &Connection,
    external_id: &str,
) -> Result<Option<Customer>> {
    one(
        conn,
        "customer",
        "SELECT record FROM customers WHERE external_id = ?1",
        external_id,
    )
}

pub(crate) fn customer_by_phone(conn: &Connection, phone: &str) -> Result<Option<Customer>> {
    let Some(phone) = replytrack::inbox::whatsapp::normalize_phone(phone) else {
        return Ok(None);
    };
    one(
        conn,
        "customer",
        "SELECT record FROM customers WHERE phone = ?1 ORDER BY id LIMIT 1",
        &phone,
    )
}

pub(crate) fn conversation(conn: &Connection, id: ConversationId) -> Result<Option<Conversation>> {
    one(
        conn,
        "conversation",
        "SELECT record FROM conversations WHERE id = ?1",
        &id.to_string(),
    )
}

pub(crate) fn active_conversation(
    conn: &Connection,
    customer: CustomerId,
) -> Result<Option<Conversation>> {
    one(
        conn,
        "conversation",
        "SELECT record FROM conversations WHERE customer = ?1 AND status <> 'resolved'",
        &customer.to_string(),
    )
}

pub(crate) fn message(conn: &Connection, id: MessageId) -> Result<Option<Message>> {
    one(
        conn,
        "message",
        "SELECT record FROM messages WHERE id = ?1",
        &id.to_string(),
    )
}

pub(crate) fn message_by_rfc_id(conn: &Connection, rfc: &str) -> Result<Option<Message>> {
    one(
        conn,
        "message",
        "SELECT record FROM messages WHERE rfc_message_id = ?1 ORDER BY seq DESC LIMIT 1",
        rfc,
    )
}

pub(crate) fn messages(conn: &Connection, conversation: ConversationId) -> Result<Vec<Message>> {
    all(
        conn,
        "message",
        "SELECT record FROM messages WHERE conversation = ?1 ORDER BY thread_seq",
        &conversation.to_string(),
    )
}

pub(crate) fn seen(conn: &Connection, key: &DedupeKey) -> Result<Option<Seen>> {
    let row: Option<Option<String>> = conn
        .prepare_cached("SELECT message FROM dedupe_keys WHERE key = ?1")
        .and_then(|mut s| s.query_row([key.as_str()], |r| r.get(0)).optional())
        .map_err(SqliteError::sql("reading a dedupe key"))?;
    Ok(match row {
        None => None,
        Some(None) => Some(Seen { message: None }),
        Some(Some(m)) => Some(Seen {
            message: Some(parse("message", "message", &m)?),
        }),
    })
}

pub(crate) fn token(conn: &Connection, token: &ReplyToken) -> Result<Option<TokenRecord>> {
    one(
        conn,
        "token",
        "SELECT record FROM tokens WHERE token = ?1",
        &token.to_string(),
    )
}

pub(crate) fn timeline(conn: &Connection, scope: TimelineScope) -> Result<Vec<TimelineEvent>> {
    match scope {
        TimelineScope::Customer(id) => all(
            conn,
            "event",
            "SELECT record FROM events WHERE customer = ?1 ORDER BY seq",
            &id.to_string(),
        ),
        TimelineScope::Conversation(id) => all(
            conn,
            "event",
            "SELECT record FROM events WHERE conversation = ?1 ORDER BY seq",
            &id.to_string(),
        ),
    }
}
