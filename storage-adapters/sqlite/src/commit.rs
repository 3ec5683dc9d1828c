//! [`Store::commit`](replytrack::ports::Store::commit) inside one SQLite transaction.
//!
//! Writes are checked and applied one by one in the commit's order (customers, conversations,
//! messages, tokens, events, jobs), so each check sees the writes before it, as the unique
//! indexes do. The caller holds an `IMMEDIATE` transaction (the database's one write lock), so
//! no other writer, in this process or another, can slip between a check and its write; the
//! unique and partial indexes stand behind the checks all the same. Any error drops the
//! transaction: nothing of the commit is written.

use chrono::{DateTime, Utc};
use replytrack::conversation::{
    Conversation, ConversationStatus, Customer, Message, NewJob, TimelineEvent, TokenRecord,
};
use replytrack::inbox::whatsapp::normalize_phone;
use replytrack::ports::{Commit, CommitOutcome, Conflict, StoreError, Write, last_activity};
use rusqlite::{Connection, OptionalExtension, params};

use crate::codec::{
    channel_name, direction_name, encode, micros, parse, priority_name, response_type_name,
    search_doc,
};
use crate::error::SqliteError;

type Result<T> = std::result::Result<T, StoreError>;

/// The stored version check of an update: `NotFound` or `Conflict::Version` when it fails.
fn check_version(
    entity: &'static str,
    id: &str,
    stored: Option<i64>,
    expected: u64,
) -> Result<u64> {
    let Some(found) = stored else {
        return Err(StoreError::NotFound {
            entity,
            id: id.to_string(),
        });
    };
    let found = u64::try_from(found).unwrap_or(0);
    if found != expected {
        return Err(Conflict::Version {
            entity,
            id: id.to_string(),
            expected,
            found,
        }
        .into());
    }
    Ok(expected + 1)
}

/// The version a write leaves: 1 for an insert (refused if the id exists), `expected + 1` for
/// an update (refused unless the stored version is `expected`).
fn next_version<T>(
    entity: &'static str,
    id: &str,
    w: &Write<T>,
    stored: Option<i64>,
) -> Result<u64> {
    match w {
        Write::Insert(_) => match stored {
            Some(_) => Err(Conflict::IdTaken {
                entity,
                id: id.to_string(),
            }
            .into()),
            None => Ok(1),
        },
        Write::Update {
            expected_version, ..
        } => check_version(entity, id, stored, *expected_version),
    }
}

fn version_sql(v: u64) -> i64 {
    i64::try_from(v).unwrap_or(i64::MAX)
}

/// Check and apply a whole commit. `now` is the enqueue time of its jobs (when absent, each
/// job's `run_at`).
pub(crate) fn apply(
    tx: &Connection,
    c: Commit,
    now: Option<DateTime<Utc>>,
) -> Result<CommitOutcome> {
    if let Some(key) = &c.dedupe_key {
        let existing: Option<Option<String>> = tx
            .prepare_cached("SELECT message FROM dedupe_keys WHERE key = ?1")
            .and_then(|mut s| s.query_row([key.as_str()], |r| r.get(0)).optional())
            .map_err(SqliteError::sql("reading a dedupe key"))?;
        if let Some(message) = existing {
            let existing = match message {
                Some(m) => Some(parse("message", "message", &m)?),
                None => None,
            };
            return Ok(CommitOutcome::Duplicate { existing });
        }
    }
    for w in &c.customers {
        customer(tx, w)?;
    }
    for w in &c.conversations {
        conversation(tx, w)?;
    }
    let mut first_inserted = None;
    for w in &c.messages {
        message(tx, w)?;
        if let Write::Insert(m) = w {
            first_inserted.get_or_insert(m.id);
        }
    }
    for t in &c.tokens {
        token(tx, t)?;
    }
    for e in &c.events {
        event(tx, e)?;
    }
    for j in &c.jobs {
        job(tx, j, now.unwrap_or(j.run_at))?;
    }
    if let Some(key) = &c.dedupe_key {
        tx.prepare_cached("INSERT INTO dedupe_keys (key, message) VALUES (?1, ?2)")
            .and_then(|mut s| {
                s.execute(params![key.as_str(), first_inserted.map(|m| m.to_string())])
            })
            .map_err(SqliteError::sql("storing a dedupe key"))?;
    }
    Ok(CommitOutcome::Applied)
}

fn customer(tx: &Connection, w: &Write<Customer>) -> Result<()> {
    let r = w.record();
    let id = r.id.to_string();
    let stored: Option<i64> = tx
        .prepare_cached("SELECT version FROM customers WHERE id = ?1")
        .and_then(|mut s| s.query_row([&id], |row| row.get(0)).optional())
        .map_err(SqliteError::sql("reading a customer's version"))?;
    let version = next_version("customer", &id, w, stored)?;
    {
        let mut owner_of = tx
            .prepare_cached("SELECT customer FROM customer_emails WHERE address = ?1")
            .map_err(SqliteError::sql("checking an email address"))?;
        for e in &r.emails {
            let owner: Option<String> = owner_of
                .query_row([&e.address], |row| row.get(0))
                .optional()
                .map_err(SqliteError::sql("checking an email address"))?;
            if let Some(owner) = owner
                && owner != id
            {
                return Err(Conflict::EmailTaken {
                    address: e.address.clone(),
                    customer: parse("customer", "customer", &owner)?,
                }
                .into());
            }
        }
    }
    if let Some(ext) = &r.external_id {
        let owner: Option<String> = tx
            .prepare_cached("SELECT id FROM customers WHERE external_id = ?1 AND id <> ?2")
            .and_then(|mut s| s.query_row([ext, &id], |row| row.get(0)).optional())
            .map_err(SqliteError::sql("checking an external id"))?;
        if let Some(owner) = owner {
            return Err(Conflict::ExternalIdTaken {
                external_id: ext.clone(),
                customer: parse("customer", "id", &owner)?,
            }
            .into());
        }
    }
    let mut record = r.clone();
    record.version = version;
    let json = encode("customer", &id, &record)?;
    let sql = match w {
        Write::Insert(_) => {
            "INSERT INTO customers (id, external_id, version, record, phone)
             VALUES (?1, ?2, ?3, ?4, ?5)"
        }
        Write::Update { .. } => {
            "UPDATE customers SET external_id = ?2, version = ?3, record = ?4, phone = ?5
             WHERE id = ?1"
        }
    };
    let phone = r.phone.as_deref().and_then(normalize_phone);
    tx.prepare_cached(sql)
        .and_then(|mut s| {
            s.execute(params![
                id,
                r.external_id,
                version_sql(version),
                json,
                phone
            ])
        })
        .map_err(SqliteError::sql("writing a customer"))?;
    if matches!(w, Write::Update { .. }) {
        tx.prepare_cached("DELETE FROM customer_emails WHERE customer = ?1")
            .and_then(|mut s| s.execute([&id]))
            .map_err(SqliteError::sql("releasing a customer's addresses"))?;
    }
    let mut add = tx
        .prepare_cached("INSERT OR IGNORE INTO customer_emails (address, customer) VALUES (?1, ?2)")
        .map_err(SqliteError::sql("storing an email address"))?;
    for e in &r.emails {
        add.execute([&e.address, &id])
            .map_err(SqliteError::sql("storing an email address"))?;
    }
    Ok(())
}

fn conversation(tx: &Connection, w: &Write<Conversation>) -> Result<()> {
    let r = w.record();
    let id = r.id.to_string();
    let stored: Option<(i64, i64, Option<String>)> = tx
        .prepare_cached("SELECT seq, version, subject FROM conversations WHERE id = ?1")
        .and_then(|mut s| {
            s.query_row([&id], |row| Ok((row.get(0)?, row.get(1)?, row.get(2)?)))
                .optional()
        })
        .map_err(SqliteError::sql("reading a conversation's version"))?;
    let version = next_version("conversation", &id, w, stored.as_ref().map(|s| s.1))?;
    let customer = r.customer.to_string();
    if r.status.is_active() {
        let existing: Option<String> = tx
            .prepare_cached(
                "SELECT id FROM conversations
                 WHERE customer = ?1 AND status <> 'resolved' AND id <> ?2",
            )
            .and_then(|mut s| s.query_row([&customer, &id], |row| row.get(0)).optional())
            .map_err(SqliteError::sql(
                "checking the customer's current conversation",
            ))?;
        if let Some(existing) = existing {
            return Err(Conflict::ActiveConversation {
                customer: r.customer,
                existing: parse("conversation", "id", &existing)?,
            }
            .into());
        }
    }
    let mut record = r.clone();
    record.version = version;
    let json = encode("conversation", &id, &record)?;
    let activity = micros(last_activity(r));
    let snooze = match r.status {
        ConversationStatus::Snoozed { until } => Some(micros(until)),
        _ => None,
    };
    let values = params![
        id,
        customer,
        r.status.name(),
        snooze,
        r.assignee,
        r.team,
        channel_name(r.channel),
        r.subject,
        activity,
        version_sql(version),
        json,
        priority_name(r.priority)
    ];
    let seq = match &stored {
        None => {
            tx.prepare_cached(
                "INSERT INTO conversations (id, customer, status, snooze_until, assignee, team,
                     channel, subject, activity, version, record, priority)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)",
            )
            .and_then(|mut s| s.execute(values))
            .map_err(SqliteError::sql("inserting a conversation"))?;
            tx.last_insert_rowid()
        }
        Some((seq, _, _)) => {
            tx.prepare_cached(
                "UPDATE conversations SET customer = ?2, status = ?3, snooze_until = ?4,
                     assignee = ?5, team = ?6, channel = ?7, subject = ?8, activity = ?9,
                     version = ?10, record = ?11, priority = ?12
                 WHERE id = ?1",
            )
            .and_then(|mut s| s.execute(values))
            .map_err(SqliteError::sql("updating a conversation"))?;
            tx.prepare_cached("DELETE FROM conversation_labels WHERE conversation = ?1")
                .and_then(|mut s| s.execute([&id]))
                .map_err(SqliteError::sql("updating a conversation's labels"))?;
            *seq
        }
    };
    if !r.labels.is_empty() {
        let mut add = tx
            .prepare_cached(
                "INSERT INTO conversation_labels (label, activity, conversation)
                 VALUES (?1, ?2, ?3)",
            )
            .map_err(SqliteError::sql("storing a conversation's labels"))?;
        for l in &r.labels {
            add.execute(params![l, activity, id])
                .map_err(SqliteError::sql("storing a conversation's labels"))?;
        }
    }
    let old_subject = stored.as_ref().and_then(|s| s.2.as_deref());
    if stored.is_none() || old_subject != r.subject.as_deref() {
        index(
            tx,
            "conversation_search",
            seq,
            stored.is_some(),
            r.subject.as_deref().into_iter(),
        )?;
    }
    Ok(())
}

/// (Re)index a record's words for full-text search under `seq`.
fn index<'a>(
    tx: &Connection,
    table: &'static str,
    seq: i64,
    replace: bool,
    parts: impl Iterator<Item = &'a str>,
) -> Result<()> {
    let (delete, insert) = match table {
        "conversation_search" => (
            "DELETE FROM conversation_search WHERE rowid = ?1",
            "INSERT INTO conversation_search (rowid, words) VALUES (?1, ?2)",
        ),
        _ => (
            "DELETE FROM message_search WHERE rowid = ?1",
            "INSERT INTO message_search (rowid, words) VALUES (?1, ?2)",
        ),
    };
    if replace {
        tx.prepare_cached(delete)
            .and_then(|mut s| s.execute([seq]))
            .map_err(SqliteError::sql("removing words from the search index"))?;
    }
    let doc = search_doc(parts);
    if !doc.is_empty() {
        tx.prepare_cached(insert)
            .and_then(|mut s| s.execute(params![seq, doc]))
            .map_err(SqliteError::sql("adding words to the search index"))?;
    }
    Ok(())
}

fn message(tx: &Connection, w: &Write<Message>) -> Result<()> {
    let r = w.record();
    let id = r.id.to_string();
    let stored: Option<(i64, i64)> = tx
        .prepare_cached("SELECT seq, version FROM messages WHERE id = ?1")
        .and_then(|mut s| {
            s.query_row([&id], |row| Ok((row.get(0)?, row.get(1)?)))
                .optional()
        })
        .map_err(SqliteError::sql("reading a message's version"))?;
    let version = next_version("message", &id, w, stored.map(|s| s.1))?;
    let mut record = r.clone();
    record.version = version;
    let json = encode("message", &id, &record)?;
    let conv = r.conversation.map(|c| c.to_string());
    let values = params![
        id,
        r.customer.to_string(),
        conv,
        r.rfc_message_id,
        version_sql(version),
        json,
        direction_name(r.direction),
        r.analysis
            .as_ref()
            .map(|a| response_type_name(a.response_type))
    ];
    // thread_seq: the next place in the conversation's thread, kept when it stays in it.
    let seq = match stored {
        None => {
            tx.prepare_cached(
                "INSERT INTO messages (id, customer, conversation, thread_seq, rfc_message_id,
                     version, record, direction, response_type)
                 VALUES (?1, ?2, ?3,
                     CASE WHEN ?3 IS NULL THEN 0 ELSE (SELECT COALESCE(MAX(thread_seq), 0) + 1
                         FROM messages WHERE conversation = ?3) END,
                     ?4, ?5, ?6, ?7, ?8)",
            )
            .and_then(|mut s| s.execute(values))
            .map_err(SqliteError::sql("inserting a message"))?;
            tx.last_insert_rowid()
        }
        Some((seq, _)) => {
            tx.prepare_cached(
                "UPDATE messages SET customer = ?2, conversation = ?3,
                     thread_seq = CASE
                         WHEN conversation IS ?3 THEN thread_seq
                         WHEN ?3 IS NULL THEN 0
                         ELSE (SELECT COALESCE(MAX(m.thread_seq), 0) + 1
                               FROM messages AS m WHERE m.conversation = ?3) END,
                     rfc_message_id = ?4, version = ?5, record = ?6, direction = ?7,
                     response_type = ?8
                 WHERE id = ?1",
            )
            .and_then(|mut s| s.execute(values))
            .map_err(SqliteError::sql("updating a message"))?;
            seq
        }
    };
    let parts = [r.subject.as_deref().unwrap_or(""), r.body.as_str()];
    if r.conversation.is_some() {
        index(
            tx,
            "message_search",
            seq,
            stored.is_some(),
            parts.into_iter(),
        )?;
    } else if stored.is_some() {
        index(tx, "message_search", seq, true, std::iter::empty())?;
    }
    Ok(())
}

fn token(tx: &Connection, t: &TokenRecord) -> Result<()> {
    let key = t.token.to_string();
    let taken: bool = tx
        .prepare_cached("SELECT EXISTS (SELECT 1 FROM tokens WHERE token = ?1)")
        .and_then(|mut s| s.query_row([&key], |row| row.get(0)))
        .map_err(SqliteError::sql("checking a token"))?;
    if taken {
        return Err(Conflict::TokenTaken(t.token).into());
    }
    let json = encode("token", &key, t)?;
    tx.prepare_cached("INSERT INTO tokens (token, customer, record) VALUES (?1, ?2, ?3)")
        .and_then(|mut s| s.execute(params![key, t.customer.to_string(), json]))
        .map_err(SqliteError::sql("inserting a token record"))?;
    Ok(())
}

fn event(tx: &Connection, e: &TimelineEvent) -> Result<()> {
    let json = encode("event", &e.id, e)?;
    tx.prepare_cached("INSERT INTO events (customer, conversation, record) VALUES (?1, ?2, ?3)")
        .and_then(|mut s| {
            s.execute(params![
                e.customer.to_string(),
                e.conversation.map(|c| c.to_string()),
                json
            ])
        })
        .map_err(SqliteError::sql("appending a timeline event"))?;
    Ok(())
}

fn job(tx: &Connection, j: &NewJob, now: DateTime<Utc>) -> Result<()> {
    let id = j.id.to_string();
    let taken: bool = tx
        .prepare_cached("SELECT EXISTS (SELECT 1 FROM jobs WHERE id = ?1)")
        .and_then(|mut s| s.query_row([&id], |row| row.get(0)))
        .map_err(SqliteError::sql("checking a job id"))?;
    if taken {
        return Err(Conflict::IdTaken { entity: "job", id }.into());
    }
    tx.prepare_cached(
        "INSERT INTO jobs (id, kind, message, state, attempts, max_attempts, run_at, created_at)
         VALUES (?1, ?2, ?3, 'queued', 0, ?4, ?5, ?6)",
    )
    .and_then(|mut s| {
        s.execute(params![
            id,
            j.kind.name(),
            j.message.to_string(),
            j.max_attempts,
            micros(j.run_at),
            micros(now)
        ])
    })
    .map_err(SqliteError::sql("enqueueing a job"))?;
    Ok(())
}
