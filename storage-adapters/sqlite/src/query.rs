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
fn build(query: &ConversationQuery, fts: Option<String>) -> (String, Vec<Value>) {
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
    if let Some(q) = fts {
        conds.push(
            "(c.seq IN (SELECT rowid FROM conversation_search WHERE conversation_search MATCH ?)
              OR c.id IN (SELECT m.conversation FROM message_search AS s
                          JOIN messages AS m ON m.seq = s.rowid
                          WHERE message_search MATCH ?))",
        );
        values.push(Value::Text(q.clone()));
        values.push(Value::Text(q));
    }
    let mut sql = format!("SELECT c.record FROM {from}");
    if !conds.is_empty() {
        sql.push_str(" WHERE ");
        sql.push_str(&conds.join(" AND "));
    }
    sql.push_str(&format!(" ORDER BY {activity} DESC, {id} DESC LIMIT ?"));
    values.push(Value::Integer(limit_sql(query.page_size())));
    (sql, values)
}

pub(crate) fn conversations(
    conn: &Connection,
    query: &ConversationQuery,
) -> Result<Vec<Conversation>> {
    let fts = match query.text.as_deref().map(search_words) {
        Some(words) if words.is_empty() => return Ok(Vec::new()),
        Some(words) => Some(fts_query(&words)),
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
