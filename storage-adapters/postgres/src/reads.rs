//! The read side of the store: one indexed statement each.

use chrono::{DateTime, Utc};
use replytrack::conversation::{
    Conversation, ConversationId, Customer, CustomerId, Message, MessageId, TimelineEvent,
    TokenRecord,
};
use replytrack::ports::{ConversationQuery, DedupeKey, Seen, StoreError, TimelineScope};
use replytrack::token::ReplyToken;
use serde::de::DeserializeOwned;
use tokio_postgres::Row;
use tokio_postgres::types::ToSql;
use uuid::Uuid;

use crate::PgStore;
use crate::codec::{AsUuid, col, decode, text, version};
use crate::error::backend;

/// Default page size of a conversation query with `limit: 0`.
const DEFAULT_LIMIT: usize = 50;
/// Largest page a query returns, whatever it asks.
pub(crate) const MAX_LIMIT: usize = 1_000;

/// Records that carry a store-set version.
pub(crate) trait Versioned: DeserializeOwned {
    /// Set the version read from the `version` column.
    fn set_version(&mut self, v: u64);
}

impl Versioned for Customer {
    fn set_version(&mut self, v: u64) {
        self.version = v;
    }
}
impl Versioned for Conversation {
    fn set_version(&mut self, v: u64) {
        self.version = v;
    }
}
impl Versioned for Message {
    fn set_version(&mut self, v: u64) {
        self.version = v;
    }
}

/// A record from a row of `id, version, doc`.
pub(crate) fn record<T: Versioned>(entity: &'static str, row: &Row) -> Result<T, StoreError> {
    let mut r: T = decode(entity, row, "doc")?;
    r.set_version(version(col::<i64>(row, "version")?));
    Ok(r)
}

/// The page size for a requested `limit`.
pub(crate) fn page(limit: usize) -> i64 {
    let n = if limit == 0 { DEFAULT_LIMIT } else { limit };
    i64::try_from(n.min(MAX_LIMIT)).unwrap_or(50)
}

impl PgStore {
    /// Rows of a prepared-and-cached statement.
    pub(crate) async fn rows(
        &self,
        operation: &'static str,
        sql: &str,
        params: &[&(dyn ToSql + Sync)],
    ) -> Result<Vec<Row>, StoreError> {
        let client = self.client().await?;
        let stmt = client
            .prepare_cached(sql)
            .await
            .map_err(backend(operation))?;
        client
            .query(&stmt, params)
            .await
            .map_err(backend(operation))
    }

    /// At most one row of a prepared-and-cached statement.
    pub(crate) async fn row(
        &self,
        operation: &'static str,
        sql: &str,
        params: &[&(dyn ToSql + Sync)],
    ) -> Result<Option<Row>, StoreError> {
        let client = self.client().await?;
        let stmt = client
            .prepare_cached(sql)
            .await
            .map_err(backend(operation))?;
        client
            .query_opt(&stmt, params)
            .await
            .map_err(backend(operation))
    }

    async fn one<T: Versioned>(
        &self,
        entity: &'static str,
        sql: &str,
        params: &[&(dyn ToSql + Sync)],
    ) -> Result<Option<T>, StoreError> {
        self.row(entity, sql, params)
            .await?
            .map(|r| record(entity, &r))
            .transpose()
    }

    async fn many<T: Versioned>(
        &self,
        entity: &'static str,
        sql: &str,
        params: &[&(dyn ToSql + Sync)],
    ) -> Result<Vec<T>, StoreError> {
        self.rows(entity, sql, params)
            .await?
            .iter()
            .map(|r| record(entity, r))
            .collect()
    }

    pub(crate) async fn get_customer(
        &self,
        id: CustomerId,
    ) -> Result<Option<Customer>, StoreError> {
        let sql = "SELECT id, version, doc FROM customers WHERE id = $1";
        self.one("customer", sql, &[&id.uuid()]).await
    }

    pub(crate) async fn get_customer_by_email(
        &self,
        address: &str,
    ) -> Result<Option<Customer>, StoreError> {
        let key = address.trim().to_lowercase();
        let sql = "SELECT c.id, c.version, c.doc FROM customer_emails e \
                   JOIN customers c ON c.id = e.customer_id WHERE e.address = $1";
        self.one("customer", sql, &[&text(&key)]).await
    }

    pub(crate) async fn get_customer_by_external_id(
        &self,
        external_id: &str,
    ) -> Result<Option<Customer>, StoreError> {
        let sql = "SELECT id, version, doc FROM customers WHERE external_id = $1";
        self.one("customer", sql, &[&text(external_id)]).await
    }

    pub(crate) async fn get_conversation(
        &self,
        id: ConversationId,
    ) -> Result<Option<Conversation>, StoreError> {
        let sql = "SELECT id, version, doc FROM conversations WHERE id = $1";
        self.one("conversation", sql, &[&id.uuid()]).await
    }

    pub(crate) async fn get_active_conversation(
        &self,
        customer: CustomerId,
    ) -> Result<Option<Conversation>, StoreError> {
        let sql = "SELECT id, version, doc FROM conversations \
                   WHERE customer_id = $1 AND status <> 'resolved'";
        self.one("conversation", sql, &[&customer.uuid()]).await
    }

    pub(crate) async fn query_conversations(
        &self,
        q: &ConversationQuery,
    ) -> Result<Vec<Conversation>, StoreError> {
        let customer = q.customer.map(AsUuid::uuid);
        let status = q.status.as_deref().map(text);
        let assignee = q.assignee.as_deref().map(text);
        let label = q.label.as_deref().map(text);
        let limit = page(q.limit);
        let mut sql = String::from("SELECT id, version, doc FROM conversations");
        let mut params: Vec<&(dyn ToSql + Sync)> = Vec::new();
        let mut conds: Vec<String> = Vec::new();
        if let Some(c) = &customer {
            params.push(c);
            conds.push(format!("customer_id = ${}", params.len()));
        }
        if let Some(s) = &status {
            params.push(s);
            conds.push(format!("status = ${}", params.len()));
        }
        if let Some(a) = &assignee {
            params.push(a);
            conds.push(format!("assignee = ${}", params.len()));
        }
        if let Some(l) = &label {
            params.push(l);
            conds.push(format!("labels @> ARRAY[${}::text]", params.len()));
        }
        if !conds.is_empty() {
            sql.push_str(" WHERE ");
            sql.push_str(&conds.join(" AND "));
        }
        params.push(&limit);
        sql.push_str(&format!(
            " ORDER BY activity_at DESC, id DESC LIMIT ${}",
            params.len()
        ));
        self.many("conversation", &sql, &params).await
    }

    pub(crate) async fn get_due_snoozes(
        &self,
        now: DateTime<Utc>,
        limit: usize,
    ) -> Result<Vec<Conversation>, StoreError> {
        if limit == 0 {
            return Ok(Vec::new());
        }
        let n = i64::try_from(limit.min(MAX_LIMIT)).unwrap_or(1);
        let sql = "SELECT id, version, doc FROM conversations \
                   WHERE status = 'snoozed' AND snooze_until <= $1 \
                   ORDER BY snooze_until, id LIMIT $2";
        self.many("conversation", sql, &[&now, &n]).await
    }

    pub(crate) async fn get_message(&self, id: MessageId) -> Result<Option<Message>, StoreError> {
        let sql = "SELECT id, version, doc FROM messages WHERE id = $1";
        self.one("message", sql, &[&id.uuid()]).await
    }

    pub(crate) async fn get_message_by_rfc_id(
        &self,
        rfc_message_id: &str,
    ) -> Result<Option<Message>, StoreError> {
        let sql = "SELECT id, version, doc FROM messages WHERE rfc_message_id = $1 \
                   ORDER BY seq DESC LIMIT 1";
        self.one("message", sql, &[&text(rfc_message_id)]).await
    }

    pub(crate) async fn get_messages(
        &self,
        conversation: ConversationId,
    ) -> Result<Vec<Message>, StoreError> {
        let sql = "SELECT id, version, doc FROM messages WHERE conversation_id = $1 ORDER BY seq";
        self.many("message", sql, &[&conversation.uuid()]).await
    }

    pub(crate) async fn get_seen(&self, key: &DedupeKey) -> Result<Option<Seen>, StoreError> {
        let sql = "SELECT message_id FROM dedupe_keys WHERE key = $1";
        let row = self.row("dedupe key", sql, &[&text(key.as_str())]).await?;
        row.map(|r| {
            let id: Option<Uuid> = col(&r, "message_id")?;
            Ok(Seen {
                message: id.map(|u| MessageId::from_u128(u.as_u128())),
            })
        })
        .transpose()
    }

    pub(crate) async fn get_token(
        &self,
        token: &ReplyToken,
    ) -> Result<Option<TokenRecord>, StoreError> {
        let sql = "SELECT token, doc FROM tokens WHERE token = $1";
        self.row("token", sql, &[&token.to_string()])
            .await?
            .map(|r| decode("token", &r, "doc"))
            .transpose()
    }

    pub(crate) async fn get_timeline(
        &self,
        scope: TimelineScope,
    ) -> Result<Vec<TimelineEvent>, StoreError> {
        let rows = match scope {
            TimelineScope::Customer(id) => {
                let sql = "SELECT id, doc FROM events WHERE customer_id = $1 ORDER BY seq";
                self.rows("timeline", sql, &[&id.uuid()]).await?
            }
            TimelineScope::Conversation(id) => {
                let sql = "SELECT id, doc FROM events WHERE conversation_id = $1 ORDER BY seq";
                self.rows("timeline", sql, &[&id.uuid()]).await?
            }
        };
        rows.iter().map(|r| decode("event", r, "doc")).collect()
    }
}
