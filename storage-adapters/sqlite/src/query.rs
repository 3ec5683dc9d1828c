//! Conversation lists: filters, cursor pages and full-text search, each answered from an index
//! walked in list order (newest activity first), and the snoozes that are due.

use chrono::{DateTime, Utc};
use replytrack::conversation::Conversation;
use replytrack::ports::{ConversationQuery, StoreError, search_words};
use rusqlite::Connection;
use rusqlite::types::Value;

use crate::codec::{channel_name, decode, fts_query, micros};
use crate::error::SqliteError;

type Result<T> = std::result::Result<T, StoreError>;

fn limit_sql(limit: usize) -> i64 {
    i64::try_from(limit).unwrap_or(i64::MAX)
}

/// The SQL and parameters of a conversation query. A label query walks the label index (it
/// holds each conversation's activity); any other walks the conversations index that matches
/// its filter, both in list order, so a page reads about `limit` rows.
fn build(query: &ConversationQuery, fts: Option<Search>) -> (String, Vec<Value>) {
    let mut conds: Vec<&str> = Vec::new();
    let mut values: Vec<Value> = Vec::new();
    let (from, activity, id) = if let Some(label) = &query.label {
        conds.push("l.label = ?");
        values.push(Value::Text(label.clone()));
        (
            "conversation_labels AS l JOIN conversations AS c ON c.id = l.conversation",
            "l.activity",
            "l.conversation",
        )
    } else {
        ("conversations AS c", "c.activity", "c.id")
    };
    let mut eq = |cond: &'static str, v: Option<String>| {
        if let Some(v) = v {
            conds.push(cond);
            values.push(Value::Text(v));
        }
    };
    eq("c.customer = ?", query.customer.map(|c| c.to_string()));
    eq("c.status = ?", query.status.clone());
    eq("c.assignee = ?", query.assignee.clone());
    eq("c.team = ?", query.team.clone());
    eq(
        "c.channel = ?",
        query.channel.map(|c| channel_name(c).to_string()),
    );
    let after;
    if let Some(cursor) = &query.after {
        after = format!("({activity}, {id}) < (?, ?)");
        conds.push(&after);
        values.push(Value::Integer(micros(cursor.activity)));
        values.push(Value::Text(cursor.id.to_string()));
    }
    let collect = fts.as_ref().is_some_and(|f| !f.common);
    if let Some(search) = fts {
        conds.push(if search.common {
            // Walk the list in order and probe each conversation: the first page is found
            // after a few conversations when the words are everywhere.
            "(EXISTS (SELECT 1 FROM conversation_search
                      WHERE conversation_search MATCH ? AND rowid = c.seq)
              OR EXISTS (SELECT 1 FROM messages AS m WHERE m.conversation = c.id
                         AND EXISTS (SELECT 1 FROM message_search
                                     WHERE message_search MATCH ? AND rowid = m.seq)))"
        } else {
            // Few matches: collect the conversations they are in, read those by rowid and
            // sort them (the `+` in ORDER BY below keeps SQLite from walking the whole list).
            "c.seq IN (SELECT rowid FROM conversation_search WHERE conversation_search MATCH ?
                       UNION
                       SELECT x.seq FROM message_search AS s
                       JOIN messages AS m ON m.seq = s.rowid
                       JOIN conversations AS x ON x.id = m.conversation
                       WHERE message_search MATCH ?)"
        });
        values.push(Value::Text(search.query.clone()));
        values.push(Value::Text(search.query));
    }
    let mut sql = format!("SELECT c.record FROM {from}");
    if !conds.is_empty() {
        sql.push_str(" WHERE ");
        sql.push_str(&conds.join(" AND "));
    }
    // With few search matches, sorting them beats walking the index in order.
    let sort = if collect { "+" } else { "" };
    sql.push_str(&format!(
        " ORDER BY {sort}{activity} DESC, {sort}{id} DESC LIMIT ?"
    ));
    values.push(Value::Integer(limit_sql(query.page_size())));
    (sql, values)
}

/// A full-text condition: the FTS5 query, and whether its words are so common that probing
/// conversations in list order beats collecting every match.
struct Search {
    query: String,
    common: bool,
}

/// More matching records than this and a search probes conversations in list order.
const COMMON: i64 = 5_000;

/// How many records (up to `COMMON + 1`) of a search table match.
fn matches(conn: &Connection, table: &'static str, query: &str) -> Result<i64> {
    let sql = match table {
        "conversation_search" => {
            "SELECT COUNT(*) FROM (SELECT 1 FROM conversation_search
             WHERE conversation_search MATCH ?1 LIMIT ?2)"
        }
        _ => {
            "SELECT COUNT(*) FROM (SELECT 1 FROM message_search
             WHERE message_search MATCH ?1 LIMIT ?2)"
        }
    };
    conn.prepare_cached(sql)
        .and_then(|mut s| s.query_row(rusqlite::params![query, COMMON + 1], |r| r.get(0)))
        .map_err(|e| SqliteError::sql("counting search matches")(e).into())
}

pub(crate) fn conversations(
    conn: &Connection,
    query: &ConversationQuery,
) -> Result<Vec<Conversation>> {
    list(conn, query, None)
}

/// The list, with the search plan chosen by the match counts unless `common` forces one.
fn list(
    conn: &Connection,
    query: &ConversationQuery,
    common: Option<bool>,
) -> Result<Vec<Conversation>> {
    let fts = match query.text.as_deref().map(search_words) {
        Some(words) if words.is_empty() => return Ok(Vec::new()),
        Some(words) => {
            let query = fts_query(&words);
            let common = match common {
                Some(forced) => forced,
                None => {
                    matches(conn, "message_search", &query)? > COMMON
                        || matches(conn, "conversation_search", &query)? > COMMON
                }
            };
            Some(Search { query, common })
        }
        None => None,
    };
    let (sql, values) = build(query, fts);
    records(conn, &sql, values)
}

fn records(conn: &Connection, sql: &str, values: Vec<Value>) -> Result<Vec<Conversation>> {
    let mut stmt = conn
        .prepare_cached(sql)
        .map_err(SqliteError::sql("listing conversations"))?;
    let rows = stmt
        .query_map(rusqlite::params_from_iter(values), |r| {
            r.get::<_, String>(0)
        })
        .map_err(SqliteError::sql("listing conversations"))?;
    let mut out = Vec::new();
    for json in rows {
        let json = json.map_err(SqliteError::sql("listing conversations"))?;
        out.push(decode("conversation", "in a list", &json)?);
    }
    Ok(out)
}

pub(crate) fn due_snoozes(
    conn: &Connection,
    now: DateTime<Utc>,
    limit: usize,
) -> Result<Vec<Conversation>> {
    records(
        conn,
        "SELECT record FROM conversations
         WHERE snooze_until IS NOT NULL AND snooze_until <= ?
         ORDER BY snooze_until, id LIMIT ?",
        vec![
            Value::Integer(micros(now)),
            Value::Integer(limit_sql(limit)),
        ],
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use replytrack::conversation::{Channel, CustomerId};

    #[test]
    fn every_filter_becomes_a_bound_parameter() {
        let q = ConversationQuery {
            customer: Some(CustomerId::from_u128(7)),
            status: Some("open'; DROP TABLE conversations; --".into()),
            channel: Some(Channel::Email),
            limit: 5,
            ..ConversationQuery::default()
        };
        let (sql, values) = build(&q, None);
        assert!(!sql.contains("DROP"));
        assert_eq!(values.len(), 4);
        assert!(sql.ends_with("ORDER BY c.activity DESC, c.id DESC LIMIT ?"));
    }

    #[test]
    fn both_search_plans_find_the_same_conversations() {
        use chrono::TimeZone;
        use replytrack::conversation::{Conversation, NewCustomer, OpenedBy};
        use replytrack::ports::{Commit, Write};

        let mut conn = Connection::open_in_memory().unwrap_or_else(|e| panic!("{e}"));
        crate::schema::migrate(&mut conn).unwrap_or_else(|e| panic!("{e}"));
        let t0 = Utc
            .with_ymd_and_hms(2026, 3, 3, 10, 0, 0)
            .single()
            .unwrap_or_default();
        let mut commit = Commit::default();
        for i in 0..40_i64 {
            let c = NewCustomer::new(format!("p{i}@example.com"))
                .build(t0)
                .unwrap_or_else(|e| panic!("{e}"));
            let at = t0 + chrono::Duration::seconds(i % 7);
            let subject = (i % 5 == 0).then(|| format!("order {i}"));
            let conv = Conversation::new(c.id, Channel::Email, OpenedBy::Contact, subject, at);
            for j in 0..3 {
                let body = if (i + j) % 4 == 0 {
                    "late order refund"
                } else {
                    "hello there"
                };
                let mut m: replytrack::conversation::Message =
                    serde_json::from_value(serde_json::json!({
                        "id": replytrack::conversation::MessageId::generate(at).to_string(),
                        "customer": c.id.to_string(), "conversation": conv.id.to_string(),
                        "direction": "inbound", "kind": null, "party": null, "author": null,
                        "from": null, "to": [], "cc": [], "subject": null, "body": body,
                        "html": null, "preview": "", "reply": null, "attachments": [],
                        "token": null, "rfc_message_id": null, "in_reply_to": [],
                        "references": [], "delivery": null, "provider_message_id": null,
                        "created_at": at, "sent_at": null, "version": 0
                    }))
                    .unwrap_or_else(|e| panic!("{e}"));
                m.version = 0;
                commit.messages.push(Write::Insert(m));
            }
            commit.customers.push(Write::Insert(c));
            commit.conversations.push(Write::Insert(conv));
        }
        // Conversations first, then their messages.
        let messages = std::mem::take(&mut commit.messages);
        crate::commit::apply(&conn, commit, None).unwrap_or_else(|e| panic!("{e}"));
        crate::commit::apply(
            &conn,
            replytrack::ports::Commit {
                messages,
                ..Default::default()
            },
            None,
        )
        .unwrap_or_else(|e| panic!("{e}"));
        for text in ["order", "refund late", "hello", "nothing"] {
            for limit in [3, 100] {
                let q = ConversationQuery {
                    text: Some(text.into()),
                    limit,
                    ..ConversationQuery::default()
                };
                let ids = |common| {
                    list(&conn, &q, Some(common))
                        .unwrap_or_else(|e| panic!("{e}"))
                        .into_iter()
                        .map(|c| c.id)
                        .collect::<Vec<_>>()
                };
                assert_eq!(ids(true), ids(false), "{text:?} limit {limit}");
            }
        }
        let all = ConversationQuery {
            text: Some("order".into()),
            limit: 100,
            ..ConversationQuery::default()
        };
        // Bodies match for i % 4 != 1 (30 conversations), subjects add i = 5 and 25.
        assert_eq!(
            list(&conn, &all, Some(true)).map(|v| v.len()).ok(),
            Some(32)
        );
    }

    #[test]
    fn a_label_query_walks_the_label_index() {
        let q = ConversationQuery {
            label: Some("vip".into()),
            ..ConversationQuery::default()
        };
        let (sql, _) = build(&q, None);
        assert!(sql.contains("FROM conversation_labels AS l"));
        assert!(sql.ends_with("ORDER BY l.activity DESC, l.conversation DESC LIMIT ?"));
    }
}
