//! The inbox's queries: conversations by filters, newest activity first, cursor-paginated, with
//! full-text search; and the snoozes that are due.
//!
//! Every filter is a column with an index ordered `(…, activity_at DESC, id DESC)`, so a page is
//! an index range scan that stops after `limit` rows. The cursor is a row comparison
//! `(activity_at, id) < ($a, $b)` on the same order.
//!
//! Search indexes the words [`text_words`](replytrack::ports::text_words) finds (maximal runs of
//! letters and digits, lowercased) as a `tsvector` per conversation subject and per message
//! (subject and body), and asks for every word of the query in one of them: the same rule, word
//! for word, as every other store. Words longer than 2 000 bytes are not indexed.

use chrono::{DateTime, Utc};
use replytrack::conversation::Conversation;
use replytrack::ports::{ConversationQuery, StoreError, search_words};
use tokio_postgres::types::ToSql;

use crate::PgStore;
use crate::codec::{AsUuid, all_words_query, channel_name, text};

impl PgStore {
    pub(crate) async fn query_conversations(
        &self,
        q: &ConversationQuery,
    ) -> Result<Vec<Conversation>, StoreError> {
        let tsquery = match q.text.as_deref().map(search_words) {
            None => None,
            Some(words) if words.is_empty() => return Ok(Vec::new()),
            Some(words) => match all_words_query(&words) {
                Some(tq) => Some(tq),
                None => return Ok(Vec::new()),
            },
        };
        let customer = q.customer.map(AsUuid::uuid);
        let status = q.status.as_deref().map(text);
        let assignee = q.assignee.as_deref().map(text);
        let team = q.team.as_deref().map(text);
        let channel = q.channel.map(channel_name);
        let label = q.label.as_deref().map(text);
        let after = q.after.map(|c| (c.activity, c.id.uuid()));
        let limit = i64::try_from(q.page_size()).unwrap_or(i64::MAX);

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
        filter!(&team, "team = ${}");
        filter!(&channel, "channel = ${}");
        filter!(&label, "labels @> ARRAY[${}::text]");
        if let Some((activity, id)) = &after {
            params.push(activity);
            params.push(id);
            conds.push(format!(
                "(activity_at, id) < (${}, ${})",
                params.len() - 1,
                params.len()
            ));
        }
        filter!(
            &tsquery,
            "id IN (SELECT conversation_id FROM messages WHERE search @@ ${0}::text::tsquery \
                    AND conversation_id IS NOT NULL \
                    UNION SELECT id FROM conversations WHERE search @@ ${0}::text::tsquery)"
        );
        let mut sql = String::from("SELECT id, version, doc FROM conversations");
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
        let n = i64::try_from(limit).unwrap_or(i64::MAX);
        let sql = "SELECT id, version, doc FROM conversations \
                   WHERE status = 'snoozed' AND snooze_until <= $1 \
                   ORDER BY snooze_until, id LIMIT $2";
        self.many("conversation", sql, &[&now, &n]).await
    }
}
