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
//! for word, as every other store. Words longer than 2 000 bytes are not indexed. A first read of
//! the matches from the GIN indexes, stopped at the dense-search threshold (default 1 000
//! messages), picks the plan: when the matches are fewer, the page is those conversations,
//! filtered and sorted; when the words are that common, the list is walked in order and each
//! conversation tested, which fills a page after a few dozen.

use chrono::{DateTime, Utc};
use replytrack::conversation::Conversation;
use replytrack::ports::{ConversationQuery, StoreError, search_words};
use tokio_postgres::types::ToSql;
use uuid::Uuid;

use crate::PgStore;
use crate::codec::{AsUuid, all_words_query, channel_name, col, text};

/// What a search matches.
pub(crate) enum Matches {
    /// Every conversation it matches (they are few).
    Few(Vec<Uuid>),
    /// Many conversations: test them in list order with this `tsquery`.
    Dense(String),
}

/// The conditions every conversation list shares: the keyset cursor (newest activity first)
/// and the search. Many matches: walk the list in order and test each conversation, so the page
/// fills after a few dozen (a scalar subquery, so the planner cannot turn it into a hash of
/// every match). Few matches, all known: fetch those and sort them.
pub(crate) fn page_conditions<'a>(
    conds: &mut Vec<String>,
    params: &mut Vec<&'a (dyn ToSql + Sync)>,
    after: Option<&'a (DateTime<Utc>, Uuid)>,
    matches: Option<&'a Matches>,
) {
    if let Some((activity, id)) = after {
        params.push(activity);
        params.push(id);
        conds.push(format!(
            "(activity_at, id) < (${}, ${})",
            params.len() - 1,
            params.len()
        ));
    }
    match matches {
        None => {}
        Some(Matches::Dense(tq)) => {
            params.push(tq);
            let n = params.len();
            conds.push(format!(
                "(search @@ ${n}::text::tsquery OR (SELECT true FROM messages m \
                  WHERE m.conversation_id = conversations.id \
                    AND m.search @@ ${n}::text::tsquery LIMIT 1))"
            ));
        }
        Some(Matches::Few(ids)) => {
            params.push(ids);
            conds.push(format!("id = ANY(${})", params.len()));
        }
    }
}

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
        let matches = match tsquery {
            None => None,
            Some(tq) => Some(self.matches(tq).await?),
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
        page_conditions(&mut conds, &mut params, after.as_ref(), matches.as_ref());
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

    /// The conversations a search matches, when there are few; else [`Matches::Dense`].
    ///
    /// Reads at most the store's dense-search threshold of matching messages (and as many
    /// matching subjects) from the GIN indexes, without sorting or deduplicating, so the read
    /// stops early. Reaching the threshold means the words are common: walking the list in order
    /// then finds a page sooner than collecting every match.
    pub(crate) async fn matches(&self, tsquery: String) -> Result<Matches, StoreError> {
        let sql = "(SELECT conversation_id AS id, true AS in_message FROM messages \
                    WHERE search @@ $1::text::tsquery AND conversation_id IS NOT NULL LIMIT $2) \
                   UNION ALL \
                   (SELECT id, false FROM conversations WHERE search @@ $1::text::tsquery LIMIT $2)";
        let rows = self
            .rows("find search matches", sql, &[&tsquery, &self.dense_search])
            .await?;
        let mut in_messages = 0i64;
        let mut ids: Vec<Uuid> = Vec::with_capacity(rows.len());
        for r in &rows {
            ids.push(col(r, "id")?);
            if col::<bool>(r, "in_message")? {
                in_messages += 1;
            }
        }
        let in_subjects = i64::try_from(rows.len()).unwrap_or(i64::MAX) - in_messages;
        if in_messages >= self.dense_search || in_subjects >= self.dense_search {
            return Ok(Matches::Dense(tsquery));
        }
        ids.sort_unstable();
        ids.dedup();
        Ok(Matches::Few(ids))
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
