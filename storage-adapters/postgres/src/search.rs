//! Full-text search over conversation subjects and message subjects and bodies, resolved
//! conversations included.
//!
//! Uses PostgreSQL's `simple` configuration (lowercasing, no stemming, no stop words), so a query
//! matches whole words in any language the same way; accents are not folded (`résumé` does not
//! match `resume`). The query is read with `websearch_to_tsquery`: words are ANDed, `"quoted
//! phrases"`, `or` and `-excluded` work, and no input is a syntax error.

use replytrack::conversation::{Conversation, MessageId};
use replytrack::ports::StoreError;
use uuid::Uuid;

use crate::PgStore;
use crate::codec::{col, text};
use crate::reads::{page, record};

/// Longest query text used, in characters.
const MAX_QUERY_CHARS: usize = 1_000;

/// A conversation that matched a search.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SearchHit {
    /// The conversation.
    pub conversation: Conversation,
    /// Its newest message that matched; `None` when only the conversation's subject did.
    pub message: Option<MessageId>,
}

impl PgStore {
    /// Conversations whose subject, or one of whose messages (subject or body), matches `query`;
    /// newest activity first, at most `limit` (0: 50). An empty query finds nothing.
    ///
    /// # Errors
    /// [`StoreError::Backend`].
    pub async fn search(&self, query: &str, limit: usize) -> Result<Vec<SearchHit>, StoreError> {
        let q: String = query.chars().take(MAX_QUERY_CHARS).collect();
        if q.trim().is_empty() {
            return Ok(Vec::new());
        }
        let sql = "WITH q AS (SELECT websearch_to_tsquery('simple', $1) AS q), \
             msg AS ( \
               SELECT DISTINCT ON (m.conversation_id) m.conversation_id AS id, m.id AS message_id \
               FROM messages m, q WHERE m.search @@ q.q AND m.conversation_id IS NOT NULL \
               ORDER BY m.conversation_id, m.seq DESC), \
             hits AS ( \
               SELECT id, message_id FROM msg \
               UNION ALL \
               SELECT c.id, NULL::uuid FROM conversations c, q \
               WHERE c.search @@ q.q AND NOT EXISTS (SELECT 1 FROM msg WHERE msg.id = c.id)) \
             SELECT c.id, c.version, c.doc, h.message_id \
             FROM hits h JOIN conversations c ON c.id = h.id \
             ORDER BY c.activity_at DESC, c.id DESC LIMIT $2";
        let rows = self.rows("search", sql, &[&text(&q), &page(limit)]).await?;
        rows.iter()
            .map(|r| {
                let message: Option<Uuid> = col(r, "message_id")?;
                Ok(SearchHit {
                    conversation: record("conversation", r)?,
                    message: message.map(|u| MessageId::from_u128(u.as_u128())),
                })
            })
            .collect()
    }
}
