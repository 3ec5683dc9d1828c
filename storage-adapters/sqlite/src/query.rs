//! Conversation lists: filters, cursor pages and full-text search, each answered from an index
//! walked in list order (newest activity first), and the snoozes that are due.

use chrono::{DateTime, Utc};
use replytrack::conversation::{Conversation, ConversationId, preview};
use replytrack::ports::{
    ConversationCursor, ConversationQuery, InboxQuery, InboxRecord, InboxTab, LastMessage,
    StoreError, search_words,
};
use rusqlite::Connection;
use rusqlite::types::Value;

use crate::codec::{
    channel_name, decode, direction, fts_query, micros, parse, priority_name, response_type_name,
    time,
};
use crate::error::SqliteError;

type Result<T> = std::result::Result<T, StoreError>;

fn limit_sql(limit: usize) -> i64 {
    i64::try_from(limit).unwrap_or(i64::MAX)
}

/// The filters of a list: those of a [`ConversationQuery`] or of an [`InboxQuery`].
#[derive(Debug, Default)]
struct Filter {
    customer: Option<String>,
    status: Option<String>,
    assignees: Vec<String>,
    unassigned: bool,
    labels: Vec<String>,
    team: Option<String>,
    channel: Option<&'static str>,
    priority: Option<&'static str>,
    response_type: Option<&'static str>,
    after: Option<ConversationCursor>,
    limit: usize,
}

impl Filter {
    fn of_conversations(q: &ConversationQuery) -> Self {
        Self {
            customer: q.customer.map(|c| c.to_string()),
            status: q.status.clone(),
            assignees: q.assignee.iter().cloned().collect(),
            labels: q.label.iter().cloned().collect(),
            team: q.team.clone(),
            channel: q.channel.map(channel_name),
            after: q.after,
            limit: q.page_size(),
            ..Self::default()
        }
    }

    fn of_inbox(q: &InboxQuery) -> Self {
        let mut assignees: Vec<String> = q.assignee.iter().cloned().collect();
        if let Some(agent) = q.tab_agent() {
            assignees.push(agent.to_string());
        }
        Self {
            customer: q.customer.map(|c| c.to_string()),
            status: q.status.clone(),
            assignees,
            unassigned: q.tab == InboxTab::Unassigned,
            labels: q.required_labels().into_iter().map(String::from).collect(),
            team: q.team.clone(),
            channel: q.channel.map(channel_name),
            priority: q.priority.map(priority_name),
            response_type: q.response_type.map(response_type_name),
            after: q.after,
            limit: q.store_limit(),
        }
    }
}

/// The SQL and parameters of a list selecting `select` (columns of `c`, the conversation, and
/// of the walked index's `activity` and `id`). A label query walks the label index (it holds
/// each conversation's activity); any other walks the conversations index that matches its
/// filter, both in list order, so a page reads about `limit` rows.
fn build(f: &Filter, fts: Option<Search>, select: &str) -> (String, Vec<Value>) {
    let mut conds: Vec<String> = Vec::new();
    let mut values: Vec<Value> = Vec::new();
    let mut labels = f.labels.iter();
    let (from, activity, id) = if let Some(label) = labels.next() {
        conds.push("l.label = ?".into());
        values.push(Value::Text(label.clone()));
        (
            "conversation_labels AS l JOIN conversations AS c ON c.id = l.conversation",
            "l.activity",
            "l.conversation",
        )
    } else {
        ("conversations AS c", "c.activity", "c.id")
    };
    for label in labels {
        conds.push(
            "EXISTS (SELECT 1 FROM conversation_labels AS l2
                     WHERE l2.conversation = c.id AND l2.label = ?)"
                .into(),
        );
        values.push(Value::Text(label.clone()));
    }
    let mut eq = |cond: &'static str, v: Option<String>| {
        if let Some(v) = v {
            conds.push(cond.into());
            values.push(Value::Text(v));
        }
    };
    eq("c.customer = ?", f.customer.clone());
    eq("c.status = ?", f.status.clone());
    for a in &f.assignees {
        eq("c.assignee = ?", Some(a.clone()));
    }
    eq("c.team = ?", f.team.clone());
    eq("c.channel = ?", f.channel.map(String::from));
    eq("c.priority = ?", f.priority.map(String::from));
    eq(
        "EXISTS (SELECT 1 FROM messages AS rt
                 WHERE rt.conversation = c.id AND rt.response_type = ?)",
        f.response_type.map(String::from),
    );
    if f.unassigned {
        conds.push("c.assignee IS NULL".into());
    }
    if let Some(cursor) = &f.after {
        conds.push(format!("({activity}, {id}) < (?, ?)"));
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
                .into()
        } else {
            // Few matches: collect the conversations they are in, read those by rowid and
            // sort them (the `+` in ORDER BY below keeps SQLite from walking the whole list).
            "c.seq IN (SELECT rowid FROM conversation_search WHERE conversation_search MATCH ?
                       UNION
                       SELECT x.seq FROM message_search AS s
                       JOIN messages AS m ON m.seq = s.rowid
                       JOIN conversations AS x ON x.id = m.conversation
                       WHERE message_search MATCH ?)"
                .into()
        });
        values.push(Value::Text(search.query.clone()));
        values.push(Value::Text(search.query));
    }
    let select = select.replace("{activity}", activity).replace("{id}", id);
    let mut sql = format!("SELECT {select} FROM {from}");
    if !conds.is_empty() {
        sql.push_str(" WHERE ");
        sql.push_str(&conds.join(" AND "));
    }
    // With few search matches, sorting them beats walking the index in order.
    let sort = if collect { "+" } else { "" };
    sql.push_str(&format!(
        " ORDER BY {sort}{activity} DESC, {sort}{id} DESC LIMIT ?"
    ));
    values.push(Value::Integer(limit_sql(f.limit)));
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

/// The search plan of a text: `None` when the text has no words (nothing matches), else the
/// condition, its plan chosen by the match counts unless `common` forces one.
fn search(
    conn: &Connection,
    text: Option<&str>,
    common: Option<bool>,
) -> Result<Option<Option<Search>>> {
    Ok(match text.map(search_words) {
        Some(words) if words.is_empty() => None,
        Some(words) => {
            let query = fts_query(&words);
            let common = match common {
                Some(forced) => forced,
                None => {
                    matches(conn, "message_search", &query)? > COMMON
                        || matches(conn, "conversation_search", &query)? > COMMON
                }
            };
            Some(Some(Search { query, common }))
        }
        None => Some(None),
    })
}

/// The list, with the search plan chosen by the match counts unless `common` forces one.
fn list(
    conn: &Connection,
    query: &ConversationQuery,
    common: Option<bool>,
) -> Result<Vec<Conversation>> {
    let Some(fts) = search(conn, query.text.as_deref(), common)? else {
        return Ok(Vec::new());
    };
    let (sql, values) = build(&Filter::of_conversations(query), fts, "c.record");
    records(conn, &sql, values)
}

/// Inbox rows: the page of conversations (the list's query, selecting keys only), then each
/// with its customer, its latest message that is not a note, and the reader's mark, joined in
/// the same statement.
pub(crate) fn inbox(conn: &Connection, query: &InboxQuery) -> Result<Vec<InboxRecord>> {
    let Some(fts) = search(conn, query.text.as_deref(), None)? else {
        return Ok(Vec::new());
    };
    let (page, mut values) = build(
        &Filter::of_inbox(query),
        fts,
        "c.seq AS seq, {activity} AS activity, {id} AS cid",
    );
    let sql = format!(
        "WITH page AS ({page})
         SELECT c.record,
                json_extract(cu.record, '$.name'),
                coalesce(json_extract(cu.record, '$.emails[0].address'),
                         json_extract(cu.record, '$.phone')),
                m.id, m.direction, json_extract(m.record, '$.preview'),
                CASE WHEN json_extract(m.record, '$.preview') = ''
                     THEN json_extract(m.record, '$.body') END,
                coalesce(json_extract(m.record, '$.sent_at'),
                         json_extract(m.record, '$.created_at')),
                r.at
         FROM page
         JOIN conversations AS c ON c.seq = page.seq
         LEFT JOIN customers AS cu ON cu.id = c.customer
         LEFT JOIN messages AS m ON m.seq = (
             SELECT x.seq FROM messages AS x
             WHERE x.conversation = c.id AND x.direction IS NOT 'note'
             ORDER BY x.thread_seq DESC LIMIT 1)
         LEFT JOIN read_marks AS r ON r.conversation = c.id AND r.agent = ?
         ORDER BY page.activity DESC, page.cid DESC"
    );
    values.push(match query.read_by() {
        Some(agent) => Value::Text(agent.to_string()),
        None => Value::Null,
    });
    let what = "listing inbox rows";
    let mut stmt = conn.prepare_cached(&sql).map_err(SqliteError::sql(what))?;
    let mut rows = stmt
        .query(rusqlite::params_from_iter(values))
        .map_err(SqliteError::sql(what))?;
    let mut out = Vec::new();
    while let Some(r) = rows.next().map_err(SqliteError::sql(what))? {
        let get = |e| SqliteError::sql(what)(e);
        let json: String = r.get(0).map_err(get)?;
        let conversation: Conversation = decode("conversation", "in the inbox", &json)?;
        let message: Option<String> = r.get(3).map_err(get)?;
        let last_message = match message {
            None => None,
            Some(id) => {
                let direction_text: Option<String> = r.get(4).map_err(get)?;
                let stored_preview: Option<String> = r.get(5).map_err(get)?;
                let body: Option<String> = r.get(6).map_err(get)?;
                let at_text: Option<String> = r.get(7).map_err(get)?;
                let at = at_text
                    .as_deref()
                    .and_then(|t| t.parse::<DateTime<Utc>>().ok())
                    .ok_or_else(|| SqliteError::Column {
                        entity: "message",
                        id: id.clone(),
                        column: "created_at",
                        value: at_text.clone().unwrap_or_default(),
                    })?;
                Some(LastMessage {
                    direction: direction(&id, direction_text.as_deref().unwrap_or(""))?,
                    preview: match stored_preview {
                        Some(p) if !p.is_empty() => p,
                        _ => preview(body.as_deref().unwrap_or("")),
                    },
                    at,
                    id: parse("message", "id", &id)?,
                })
            }
        };
        let read_at: Option<i64> = r.get(8).map_err(get)?;
        out.push(InboxRecord {
            contact_name: r.get(1).map_err(get)?,
            contact: r.get(2).map_err(get)?,
            read_at: match read_at {
                Some(v) => Some(time("read mark", &conversation.id.to_string(), "at", v)?),
                None => None,
            },
            conversation,
            last_message,
        });
    }
    Ok(out)
}

/// Record a read mark, keeping the later one.
pub(crate) fn mark_read(
    conn: &Connection,
    conversation: ConversationId,
    agent: &str,
    at: DateTime<Utc>,
) -> Result<()> {
    let id = conversation.to_string();
    let exists: bool = conn
        .prepare_cached("SELECT EXISTS (SELECT 1 FROM conversations WHERE id = ?1)")
        .and_then(|mut s| s.query_row([&id], |r| r.get(0)))
        .map_err(SqliteError::sql("checking a conversation"))?;
    if !exists {
        return Err(StoreError::NotFound {
            entity: "conversation",
            id,
        });
    }
    conn.prepare_cached(
        "INSERT INTO read_marks (conversation, agent, at) VALUES (?1, ?2, ?3)
         ON CONFLICT (conversation, agent) DO UPDATE SET at = max(at, excluded.at)",
    )
    .and_then(|mut s| s.execute(rusqlite::params![id, agent, micros(at)]))
    .map_err(SqliteError::sql("storing a read mark"))?;
    Ok(())
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
        let (sql, values) = build(&Filter::of_conversations(&q), None, "c.record");
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
        let (sql, _) = build(&Filter::of_conversations(&q), None, "c.record");
        assert!(sql.contains("FROM conversation_labels AS l"));
        assert!(sql.ends_with("ORDER BY l.activity DESC, l.conversation DESC LIMIT ?"));
    }
}
