//! Inbox rows, customers by phone, and read marks.
//!
//! A page of inbox rows is one statement: the page of conversations (the same index walk and
//! search plans as the conversation list, selecting `LIMIT` rows), then for each its customer,
//! its latest message that is not a note (a `LATERAL` read of the thread index, backwards, one
//! row) and the reader's mark.

use chrono::{DateTime, Utc};
use replytrack::conversation::{
    Conversation, ConversationId, Customer, Direction, MessageId, preview,
};
use replytrack::inbox::whatsapp::normalize_phone;
use replytrack::ports::{InboxQuery, InboxRecord, InboxTab, LastMessage, StoreError};
use tokio_postgres::Row;
use tokio_postgres::types::ToSql;
use uuid::Uuid;

use crate::PgStore;
use crate::codec::{AsUuid, all_words_query, channel_name, col, priority_name, text};
use crate::error::{PgError, cut};
use crate::listing::page_conditions;
use crate::plan::response_type_name;
use crate::reads::record;

fn direction(id: &Uuid, name: &str) -> Result<Direction, StoreError> {
    match name {
        "outbound" => Ok(Direction::Outbound),
        "inbound" => Ok(Direction::Inbound),
        "manual_log" => Ok(Direction::ManualLog),
        "note" => Ok(Direction::Note),
        other => Err(PgError::BadColumn {
            entity: "message",
            id: id.to_string(),
            column: "direction",
            value: cut(other),
        }
        .into()),
    }
}

/// The latest message of a row, when it has one.
fn last_message(r: &Row) -> Result<Option<LastMessage>, StoreError> {
    let Some(id) = col::<Option<Uuid>>(r, "last_id")? else {
        return Ok(None);
    };
    let name: String = col(r, "last_direction")?;
    let stored: Option<String> = col(r, "last_preview")?;
    let body: Option<String> = col(r, "last_body")?;
    let at_text: Option<String> = col(r, "last_at")?;
    let at = at_text
        .as_deref()
        .and_then(|t| t.parse::<DateTime<Utc>>().ok())
        .ok_or_else(|| PgError::BadColumn {
            entity: "message",
            id: id.to_string(),
            column: "created_at",
            value: cut(at_text.as_deref().unwrap_or("")),
        })?;
    Ok(Some(LastMessage {
        id: MessageId::from_u128(id.as_u128()),
        direction: direction(&id, &name)?,
        preview: match stored {
            Some(p) if !p.is_empty() => p,
            _ => preview(body.as_deref().unwrap_or("")),
        },
        at,
    }))
}

impl PgStore {
    pub(crate) async fn query_inbox(&self, q: &InboxQuery) -> Result<Vec<InboxRecord>, StoreError> {
        let tsquery = match q.text.as_deref().map(replytrack::ports::search_words) {
            None => None,
            Some(words) if words.is_empty() => return Ok(Vec::new()),
            Some(words) => match all_words_query(&words) {
                Some(tq) => Some(tq),
                None => return Ok(Vec::new()),
            },
        };
        let matches = match tsquery {
            None => None,
            Some(tq) => Some(self.matches(tq).await?),
        };
        let customer = q.customer.map(AsUuid::uuid);
        let status = q.status.as_deref().map(text);
        let assignee = q.assignee.as_deref().map(text);
        let mine = q.tab_agent().map(text);
        let team = q.team.as_deref().map(text);
        let channel = q.channel.map(channel_name);
        let priority = q.priority.map(priority_name);
        let response = q.response_type.map(response_type_name);
        let labels: Vec<String> = q
            .required_labels()
            .into_iter()
            .map(|l| text(l).into_owned())
            .collect();
        let labels = (!labels.is_empty()).then_some(labels);
        let after = q.after.map(|c| (c.activity, c.id.uuid()));
        let limit = i64::try_from(q.store_limit()).unwrap_or(i64::MAX);
        let reader = q.read_by().map(|r| text(r).into_owned());

        let mut params: Vec<&(dyn ToSql + Sync)> = Vec::new();
        let mut conds: Vec<String> = Vec::new();
        macro_rules! filter {
            ($value:expr, $fmt:literal) => {
                if let Some(v) = $value {
                    params.push(v);
                    conds.push(format!($fmt, params.len()));
                }
            };
        }
        filter!(&customer, "customer_id = ${}");
        filter!(&status, "status = ${}");
        filter!(&assignee, "assignee = ${}");
        filter!(&mine, "assignee = ${}");
        filter!(&team, "team = ${}");
        filter!(&channel, "channel = ${}");
        filter!(&priority, "priority = ${}");
        filter!(&labels, "labels @> ${}::text[]");
        filter!(
            &response,
            "EXISTS (SELECT 1 FROM messages rt WHERE rt.conversation_id = conversations.id \
             AND rt.response_type = ${})"
        );
        if q.tab == InboxTab::Unassigned {
            conds.push("assignee IS NULL".into());
        }
        page_conditions(&mut conds, &mut params, after.as_ref(), matches.as_ref());
        let mut page =
            String::from("SELECT id, version, doc, customer_id, activity_at FROM conversations");
        if !conds.is_empty() {
            page.push_str(" WHERE ");
            page.push_str(&conds.join(" AND "));
        }
        params.push(&limit);
        page.push_str(&format!(
            " ORDER BY activity_at DESC, id DESC LIMIT ${}",
            params.len()
        ));
        params.push(&reader);
        let sql = format!(
            "SELECT c.id, c.version, c.doc, \
                    cu.doc->>'name' AS contact_name, \
                    COALESCE(cu.doc->'emails'->0->>'address', cu.doc->>'phone') AS contact, \
                    lm.id AS last_id, lm.direction AS last_direction, \
                    lm.doc->>'preview' AS last_preview, \
                    CASE WHEN lm.doc->>'preview' = '' THEN lm.doc->>'body' END AS last_body, \
                    COALESCE(lm.doc->>'sent_at', lm.doc->>'created_at') AS last_at, \
                    r.at AS read_at \
             FROM ({page}) AS c \
             LEFT JOIN customers cu ON cu.id = c.customer_id \
             LEFT JOIN LATERAL (SELECT m.id, m.direction, m.doc FROM messages m \
                                WHERE m.conversation_id = c.id AND m.direction <> 'note' \
                                ORDER BY m.seq DESC LIMIT 1) AS lm ON true \
             LEFT JOIN read_marks r ON r.conversation_id = c.id AND r.agent = ${} \
             ORDER BY c.activity_at DESC, c.id DESC",
            params.len()
        );
        let rows = self.rows("list inbox rows", &sql, &params).await?;
        let mut out = Vec::with_capacity(rows.len());
        for r in &rows {
            let conversation: Conversation = record("conversation", r)?;
            out.push(InboxRecord {
                contact_name: col(r, "contact_name")?,
                contact: col(r, "contact")?,
                last_message: last_message(r)?,
                read_at: col(r, "read_at")?,
                conversation,
            });
        }
        Ok(out)
    }

    pub(crate) async fn get_customer_by_phone(
        &self,
        phone: &str,
    ) -> Result<Option<Customer>, StoreError> {
        let Some(phone) = normalize_phone(phone) else {
            return Ok(None);
        };
        let sql = "SELECT id, version, doc FROM customers WHERE phone = $1 ORDER BY id LIMIT 1";
        self.row("customer", sql, &[&phone])
            .await?
            .map(|r| record("customer", &r))
            .transpose()
    }

    pub(crate) async fn put_read_mark(
        &self,
        conversation: ConversationId,
        agent: &str,
        at: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        let id = conversation.uuid();
        let agent = text(agent);
        let sql = "INSERT INTO read_marks (conversation_id, agent, at) \
                   SELECT $1, $2, $3 WHERE EXISTS (SELECT 1 FROM conversations WHERE id = $1) \
                   ON CONFLICT (conversation_id, agent) \
                   DO UPDATE SET at = GREATEST(read_marks.at, EXCLUDED.at) RETURNING 1";
        let rows = self
            .rows("store a read mark", sql, &[&id, &agent, &at])
            .await?;
        if rows.is_empty() {
            return Err(StoreError::NotFound {
                entity: "conversation",
                id: conversation.to_string(),
            });
        }
        Ok(())
    }
}
