//! The read side of the store: one indexed statement each.

use replytrack::conversation::{
    Conversation, ConversationId, Customer, CustomerId, Message, MessageId, TimelineEvent,
    TokenRecord,
};
use replytrack::ports::{DedupeKey, Seen, StoreError, TimelineScope};
use replytrack::token::ReplyToken;
use serde::de::DeserializeOwned;
use tokio_postgres::Row;
use tokio_postgres::types::ToSql;
use uuid::Uuid;

use crate::PgStore;
use crate::codec::{AsUuid, col, decode, text, version};
use crate::error::backend;

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

    pub(crate) async fn many<T: Versioned>(
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
