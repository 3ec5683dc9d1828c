//! Conversation queries: filters, the list order and its cursor, the words full-text search
//! sees, and the inbox query with the rows a store returns for it.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::analysis::ResponseType;
use crate::conversation::{
    Channel, Conversation, ConversationId, Customer, CustomerId, Direction, Message, MessageId,
    Priority, preview,
};

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

/// Which conversations an inbox tab shows.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(tag = "tab", content = "agent", rename_all = "snake_case")]
pub enum InboxTab {
    /// Every conversation.
    #[default]
    All,
    /// Those assigned to this agent.
    Mine(String),
    /// Those assigned to no agent (a team may hold them).
    Unassigned,
}

/// Most labels an [`InboxQuery`] may require.
pub const MAX_LABEL_FILTERS: usize = 16;
/// Largest inbox page.
pub const MAX_INBOX_PAGE: usize = 500;

/// A query for inbox rows: a tab and filters, newest activity first, paged with a cursor.
///
/// The order and the cursor are those of [`ConversationQuery`]; the filters are its filters plus
/// the tab, several labels (a conversation must carry every one), a priority and an analysis
/// response type (a conversation matches when one of its messages was analysed as that type).
/// `reader` names the agent whose read marks decide each row's `unread` marker; when it is not
/// set, the [`InboxTab::Mine`] agent is the reader.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct InboxQuery {
    /// The tab.
    #[serde(default)]
    pub tab: InboxTab,
    /// Only with this status name (`open`, `pending`, `snoozed`, `resolved`).
    #[serde(default)]
    pub status: Option<String>,
    /// Only on this channel.
    #[serde(default)]
    pub channel: Option<Channel>,
    /// Only with every one of these labels (at most [`MAX_LABEL_FILTERS`]).
    #[serde(default)]
    pub labels: Vec<String>,
    /// Only assigned to this agent.
    #[serde(default)]
    pub assignee: Option<String>,
    /// Only assigned to this team.
    #[serde(default)]
    pub team: Option<String>,
    /// Only with this priority.
    #[serde(default)]
    pub priority: Option<Priority>,
    /// Only with a message analysed as this response type.
    #[serde(default)]
    pub response_type: Option<ResponseType>,
    /// Only this customer's.
    #[serde(default)]
    pub customer: Option<CustomerId>,
    /// Full-text search, as [`ConversationQuery::text`] (resolved conversations included).
    #[serde(default)]
    pub text: Option<String>,
    /// Only rows after this cursor (the next page).
    #[serde(default)]
    pub after: Option<ConversationCursor>,
    /// At most this many rows (0: 50; at most [`MAX_INBOX_PAGE`]).
    #[serde(default)]
    pub limit: usize,
    /// The agent whose read marks decide `unread` (default: the `Mine` agent).
    #[serde(default)]
    pub reader: Option<String>,
}

impl InboxQuery {
    /// The page size: `limit` (50 when 0), at most [`MAX_INBOX_PAGE`].
    pub fn page_size(&self) -> usize {
        match self.limit {
            0 => 50,
            n => n.min(MAX_INBOX_PAGE),
        }
    }

    /// How many rows a store returns: `limit` (50 when 0), at most one more than
    /// [`MAX_INBOX_PAGE`] — the engine asks for one row past the page to know whether another
    /// page follows.
    pub fn store_limit(&self) -> usize {
        match self.limit {
            0 => 50,
            n => n.min(MAX_INBOX_PAGE + 1),
        }
    }

    /// The agent the tab is for, if any.
    pub fn tab_agent(&self) -> Option<&str> {
        match &self.tab {
            InboxTab::Mine(agent) => Some(agent),
            _ => None,
        }
    }

    /// The agent whose read marks count: `reader`, else the `Mine` agent.
    pub fn read_by(&self) -> Option<&str> {
        self.reader.as_deref().or_else(|| self.tab_agent())
    }

    /// The labels required, without repeats, at most [`MAX_LABEL_FILTERS`].
    pub fn required_labels(&self) -> Vec<&str> {
        let mut out: Vec<&str> = Vec::new();
        for l in &self.labels {
            if out.len() >= MAX_LABEL_FILTERS {
                break;
            }
            if !out.contains(&l.as_str()) {
                out.push(l);
            }
        }
        out
    }

    /// Whether a conversation passes the tab, the filters and the cursor (not the text nor the
    /// response type, which need its messages).
    pub fn matches(&self, c: &Conversation) -> bool {
        let tab = match &self.tab {
            InboxTab::All => true,
            InboxTab::Mine(agent) => c.assignee.as_deref() == Some(agent.as_str()),
            InboxTab::Unassigned => c.assignee.is_none(),
        };
        tab && self.customer.is_none_or(|id| c.customer == id)
            && self.status.as_deref().is_none_or(|s| c.status.name() == s)
            && self.channel.is_none_or(|ch| c.channel == ch)
            && self.required_labels().iter().all(|l| c.labels.contains(*l))
            && self
                .assignee
                .as_deref()
                .is_none_or(|a| c.assignee.as_deref() == Some(a))
            && self
                .team
                .as_deref()
                .is_none_or(|t| c.team.as_deref() == Some(t))
            && self.priority.is_none_or(|p| c.priority == p)
            && self
                .after
                .is_none_or(|cursor| ConversationCursor::of(c) < cursor)
    }
}

/// A conversation's latest message as an inbox row shows it: the latest message that is not a
/// private note, in the order messages joined the conversation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LastMessage {
    /// The message.
    pub id: MessageId,
    /// Which way it went.
    pub direction: Direction,
    /// Its preview: [`Message::preview`], or a preview of its body when that is empty.
    pub preview: String,
    /// When it was sent or happened, else when it was stored.
    pub at: DateTime<Utc>,
}

impl LastMessage {
    /// The summary of a message.
    pub fn of(m: &Message) -> Self {
        Self {
            id: m.id,
            direction: m.direction,
            preview: if m.preview.is_empty() {
                preview(&m.body)
            } else {
                m.preview.clone()
            },
            at: m.sent_at.unwrap_or(m.created_at),
        }
    }

    /// Whether a message counts as a conversation's last message (private notes do not).
    pub fn counts(m: &Message) -> bool {
        m.direction != Direction::Note
    }
}

/// What a store returns for one inbox row: the conversation and what the list shows beside it,
/// read in the same query.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct InboxRecord {
    /// The conversation.
    pub conversation: Conversation,
    /// The customer's name.
    pub contact_name: Option<String>,
    /// The customer's first email address, else their phone number.
    pub contact: Option<String>,
    /// The latest message that is not a private note.
    pub last_message: Option<LastMessage>,
    /// When the query's reader last marked the conversation read.
    pub read_at: Option<DateTime<Utc>>,
}

/// What an inbox row shows of a customer: their name and first email address, else phone.
pub fn contact_of(c: &Customer) -> (Option<String>, Option<String>) {
    let contact = c
        .emails
        .first()
        .map(|e| e.address.clone())
        .or_else(|| c.phone.clone());
    (c.name.clone(), contact)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_store_returns_one_row_past_the_largest_page() {
        let q = |limit| InboxQuery {
            limit,
            ..InboxQuery::default()
        };
        assert_eq!((q(0).page_size(), q(0).store_limit()), (50, 50));
        assert_eq!(q(10_000).page_size(), MAX_INBOX_PAGE);
        assert_eq!(q(10_000).store_limit(), MAX_INBOX_PAGE + 1);
    }

    #[test]
    fn required_labels_drop_repeats_and_stop_at_the_limit() {
        let q = InboxQuery {
            labels: (0..40).map(|i| format!("l{}", i % 20)).collect(),
            ..InboxQuery::default()
        };
        let labels = q.required_labels();
        assert_eq!(labels.len(), MAX_LABEL_FILTERS);
        assert_eq!(labels[0], "l0");
    }
}
