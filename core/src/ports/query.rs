//! Conversation queries: filters, the list order and its cursor, and the words full-text search
//! sees.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::conversation::{Channel, Conversation, ConversationId, CustomerId};

/// A query over conversations, newest activity first (ties: higher id first).
///
/// A conversation's activity is [`last_activity`]: its latest message either way, or its
/// creation. Pages continue with [`ConversationQuery::after`] set to the
/// [`ConversationCursor::of`] the last conversation of the previous page.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct ConversationQuery {
    /// Only this customer's.
    pub customer: Option<CustomerId>,
    /// Only with this status name (`open`, `pending`, `snoozed`, `resolved`).
    pub status: Option<String>,
    /// Only assigned to this agent.
    pub assignee: Option<String>,
    /// Only with this label.
    pub label: Option<String>,
    /// At most this many (0: the store's default of 50).
    pub limit: usize,
    /// Only assigned to this team.
    #[serde(default)]
    pub team: Option<String>,
    /// Only on this channel.
    #[serde(default)]
    pub channel: Option<Channel>,
    /// Full-text search: only conversations whose subject, or one of whose messages (subject and
    /// body), contains every word of this text; see [`search_words`]. Resolved conversations
    /// are searched too. A text without words matches nothing.
    #[serde(default)]
    pub text: Option<String>,
    /// Only conversations that come after this cursor in the order (the next page).
    #[serde(default)]
    pub after: Option<ConversationCursor>,
}

impl ConversationQuery {
    /// Whether a conversation matches the filters and the cursor (not the text, nor the limit).
    pub fn matches(&self, c: &Conversation) -> bool {
        self.customer.is_none_or(|id| c.customer == id)
            && self.status.as_deref().is_none_or(|s| c.status.name() == s)
            && self
                .assignee
                .as_deref()
                .is_none_or(|a| c.assignee.as_deref() == Some(a))
            && self.label.as_deref().is_none_or(|l| c.labels.contains(l))
            && self
                .team
                .as_deref()
                .is_none_or(|t| c.team.as_deref() == Some(t))
            && self.channel.is_none_or(|ch| c.channel == ch)
            && self
                .after
                .is_none_or(|cursor| ConversationCursor::of(c) < cursor)
    }

    /// The page size: `limit`, or 50 when it is 0.
    pub fn page_size(&self) -> usize {
        if self.limit == 0 { 50 } else { self.limit }
    }
}

/// When a conversation last moved: the latest of its creation, its last message from the
/// contact and its last message from the business. Conversation lists are ordered by it.
pub fn last_activity(c: &Conversation) -> DateTime<Utc> {
    [c.last_inbound_at, c.last_outbound_at]
        .into_iter()
        .flatten()
        .fold(c.created_at, DateTime::max)
}

/// A position in the conversation order: a conversation's [`last_activity`] and id.
///
/// Cursors compare in list order reversed: a conversation listed later has a smaller cursor.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct ConversationCursor {
    /// The conversation's last activity.
    pub activity: DateTime<Utc>,
    /// Its id (the tie-break).
    pub id: ConversationId,
}

impl ConversationCursor {
    /// The cursor just after `c`: pass it as [`ConversationQuery::after`] to read what follows.
    pub fn of(c: &Conversation) -> Self {
        Self {
            activity: last_activity(c),
            id: c.id,
        }
    }
}

/// Most words a search text is cut to.
pub const MAX_SEARCH_WORDS: usize = 16;

/// The words of a text as full-text search sees them: maximal runs of alphanumeric characters,
/// lowercased, in order. Every store indexes and queries with these, so the same search finds
/// the same conversations everywhere.
pub fn text_words(text: &str) -> impl Iterator<Item = String> + '_ {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
}

/// The distinct words of a search text, at most [`MAX_SEARCH_WORDS`], in first-seen order.
pub fn search_words(text: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for w in text_words(text) {
        if out.len() >= MAX_SEARCH_WORDS {
            break;
        }
        if !out.contains(&w) {
            out.push(w);
        }
    }
    out
}
