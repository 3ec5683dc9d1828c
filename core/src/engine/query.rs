//! The inbox list and the customer link: [`Engine::inbox`] pages of rows an inbox shows,
//! [`Engine::mark_read`], [`Engine::link_customer`] and [`Engine::customer_history`].
//!
//! A row carries what a conversation list draws: the channel, the contact (name, address or
//! phone, and the customer id to link to), the labels with a colour each, the latest message's
//! preview, time and direction, the status, and two markers — `waiting` (the contact wrote last
//! and nobody answered) and `unread` (the contact wrote after the reader last opened it).
//! Each store answers a page in one query; the engine only shapes the rows.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::{Engine, EngineError};
use crate::conversation::{
    Channel, ConversationId, ConversationStatus, CustomerId, Priority, normalize_email,
};
use crate::inbox::whatsapp::normalize_phone;
use crate::ports::{
    Commit, ConversationCursor, InboxQuery, InboxRecord, LastMessage, StoreError, Write,
    last_activity,
};

/// Longest agent name accepted by [`Engine::mark_read`], in bytes.
pub const MAX_AGENT_LEN: usize = 200;

/// Most conversations [`Engine::customer_history`] returns.
pub const MAX_HISTORY: usize = 10_000;

/// A label's default colour: one of [`DEFAULT_PALETTE`](crate::inbox::settings::DEFAULT_PALETTE), chosen
/// by the FNV-1a hash of its name, so a label keeps its colour everywhere and across runs (the
/// same as [`InboxSettings::colour_of`](crate::inbox::InboxSettings::colour_of) for a label
/// without a configured colour).
pub fn default_label_colour(label: &str) -> &'static str {
    crate::inbox::settings::default_colour(label)
}

/// A label as a row shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LabelChip {
    /// The label.
    pub name: String,
    /// Its colour (`#rrggbb`), when it has one.
    pub colour: Option<String>,
}

/// One row of an inbox list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct InboxRow {
    /// The conversation.
    pub conversation: ConversationId,
    /// The customer (the link to their record and history).
    pub customer: CustomerId,
    /// The channel.
    pub channel: Channel,
    /// The customer's name.
    pub contact_name: Option<String>,
    /// The customer's first email address, else their phone number.
    pub contact: Option<String>,
    /// The conversation's subject.
    pub subject: Option<String>,
    /// Its status.
    pub status: ConversationStatus,
    /// Its priority.
    pub priority: Priority,
    /// The agent it is assigned to.
    pub assignee: Option<String>,
    /// The team it is assigned to.
    pub team: Option<String>,
    /// Its labels, in name order, with their colours.
    pub labels: Vec<LabelChip>,
    /// The latest message that is not a private note: its preview, time and direction.
    pub last_message: Option<LastMessage>,
    /// Its last activity (the list's order).
    pub activity: DateTime<Utc>,
    /// The contact wrote last and nobody has answered yet.
    pub waiting: bool,
    /// The contact wrote after the reader last marked it read (always false without a reader).
    pub unread: bool,
    /// The cursor just after this row.
    pub cursor: ConversationCursor,
}

/// A page of inbox rows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct InboxPage {
    /// The rows, newest activity first.
    pub rows: Vec<InboxRow>,
    /// Pass as [`InboxQuery::after`] for the next page; none on the last page.
    pub next_cursor: Option<ConversationCursor>,
}

/// How [`Engine::link_customer`] finds the customer record.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "by", content = "value", rename_all = "snake_case")]
pub enum CustomerKey {
    /// By email address (any case).
    Email(String),
    /// By phone number (normalised to E.164).
    Phone(String),
}

/// What [`Engine::link_customer`] did.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Linked {
    /// The customer the conversation belongs to now.
    pub customer: CustomerId,
    /// The customer it belonged to before (the same when nothing moved).
    pub previous: CustomerId,
    /// How many of its messages moved with it.
    pub messages_moved: usize,
}

/// Why a customer link failed.
#[derive(Debug, thiserror::Error)]
pub enum LinkError {
    /// An engine or store error.
    #[error(transparent)]
    Engine(#[from] EngineError),
    /// The key is not an email address or phone number.
    #[error("{0:?} is not an email address or a phone number")]
    BadKey(String),
    /// No customer has that address or number.
    #[error("no customer has {0:?}")]
    NoCustomer(String),
}

/// The row of a store record. With a reader (`has_reader`), it is unread when the contact
/// wrote after the reader's mark, or at all when there is no mark.
pub fn inbox_row(
    r: InboxRecord,
    has_reader: bool,
    colour: impl Fn(&str) -> Option<String>,
) -> InboxRow {
    let c = r.conversation;
    let unread = has_reader
        && c.last_inbound_at
            .is_some_and(|inbound| r.read_at.is_none_or(|read| inbound > read));
    InboxRow {
        conversation: c.id,
        customer: c.customer,
        channel: c.channel,
        contact_name: r.contact_name,
        contact: r.contact,
        subject: c.subject.clone(),
        status: c.status,
        priority: c.priority,
        assignee: c.assignee.clone(),
        team: c.team.clone(),
        labels: c
            .labels
            .iter()
            .map(|l| LabelChip {
                name: l.clone(),
                colour: colour(l),
            })
            .collect(),
        last_message: r.last_message,
        activity: last_activity(&c),
        waiting: c.waiting_since.is_some(),
        unread,
        cursor: ConversationCursor::of(&c),
    }
}

impl Engine {
    /// A label's colour in rows: the default palette ([`default_label_colour`]).
    fn label_colour(&self, label: &str) -> Option<String> {
        Some(self.inbox.settings.colour_of(label))
    }

    /// A page of inbox rows: the query's tab and filters, newest activity first.
    ///
    /// `unread` is computed for [`InboxQuery::read_by`] (the reader, else the `Mine` agent); a
    /// conversation that reader never marked read is unread when the contact wrote in it.
    ///
    /// # Errors
    /// Store errors.
    pub async fn inbox(&self, query: InboxQuery) -> Result<InboxPage, EngineError> {
        let size = query.page_size();
        let mut ask = query.clone();
        ask.limit = size + 1;
        let has_reader = ask.read_by().is_some();
        let mut records = self.store.inbox(&ask).await?;
        let more = records.len() > size;
        records.truncate(size);
        let rows: Vec<InboxRow> = records
            .into_iter()
            .map(|r| inbox_row(r, has_reader, |l| self.label_colour(l)))
            .collect();
        let next_cursor = if more {
            rows.last().map(|r| r.cursor)
        } else {
            None
        };
        Ok(InboxPage { rows, next_cursor })
    }

    /// Note that `agent` read a conversation at `now`: its row is not unread for them until the
    /// contact writes again.
    ///
    /// # Errors
    /// [`EngineError::NotFound`] for an unknown conversation or an empty or overlong agent name
    /// (over [`MAX_AGENT_LEN`] bytes); store errors.
    pub async fn mark_read(
        &self,
        conversation: ConversationId,
        agent: &str,
        now: DateTime<Utc>,
    ) -> Result<(), EngineError> {
        let agent = agent.trim();
        if agent.is_empty() || agent.len() > MAX_AGENT_LEN {
            return Err(EngineError::not_found(
                "agent",
                agent.chars().take(64).collect::<String>(),
            ));
        }
        match self.store.mark_read(conversation, agent, now).await {
            Err(StoreError::NotFound { .. }) => {
                Err(EngineError::not_found("conversation", conversation))
            }
            other => Ok(other?),
        }
    }

    /// Attach a conversation to the customer record found by email address or phone number. The
    /// conversation and its messages move to that customer (the timeline keeps its events where
    /// they were written). Linking to the customer it already has changes nothing.
    ///
    /// # Errors
    /// [`LinkError::BadKey`], [`LinkError::NoCustomer`]; [`EngineError::NotFound`] for an
    /// unknown conversation; a store conflict when the target customer already has a conversation
    /// that is not resolved and this one is not resolved either (resolve one first).
    pub async fn link_customer(
        &self,
        conversation: ConversationId,
        key: CustomerKey,
    ) -> Result<Linked, LinkError> {
        let target = match &key {
            CustomerKey::Email(e) => {
                let e = normalize_email(e).map_err(|_| LinkError::BadKey(cut(e)))?;
                self.store
                    .customer_by_email(&e)
                    .await
                    .map_err(EngineError::from)?
                    .ok_or(LinkError::NoCustomer(e))?
            }
            CustomerKey::Phone(p) => {
                let p = normalize_phone(p).ok_or_else(|| LinkError::BadKey(cut(p)))?;
                self.store
                    .customer_by_phone(&p)
                    .await
                    .map_err(EngineError::from)?
                    .ok_or(LinkError::NoCustomer(p))?
            }
        };
        let mut last = None;
        for _ in 0..self.tries() {
            let conv = self
                .store
                .conversation(conversation)
                .await
                .map_err(EngineError::from)?
                .ok_or_else(|| EngineError::not_found("conversation", conversation))?;
            let previous = conv.customer;
            if previous == target.id {
                return Ok(Linked {
                    customer: target.id,
                    previous,
                    messages_moved: 0,
                });
            }
            let messages = self
                .store
                .messages(conversation)
                .await
                .map_err(EngineError::from)?;
            let moved = messages.len();
            let mut c = conv.clone();
            c.customer = target.id;
            let commit = Commit {
                conversations: vec![Write::update(c, conv.version)],
                messages: messages
                    .into_iter()
                    .map(|mut m| {
                        let v = m.version;
                        m.customer = target.id;
                        Write::update(m, v)
                    })
                    .collect(),
                ..Commit::default()
            };
            match self.store.commit(commit).await {
                Ok(_) => {
                    return Ok(Linked {
                        customer: target.id,
                        previous,
                        messages_moved: moved,
                    });
                }
                Err(StoreError::Conflict(c @ crate::ports::Conflict::Version { .. })) => {
                    last = Some(c);
                }
                Err(e) => return Err(EngineError::from(e).into()),
            }
        }
        Err(self.contention("link_customer", last).into())
    }

    /// A customer's conversations on every channel, newest activity first, as inbox rows (at
    /// most [`MAX_HISTORY`]).
    ///
    /// # Errors
    /// Store errors.
    pub async fn customer_history(
        &self,
        customer: CustomerId,
    ) -> Result<Vec<InboxRow>, EngineError> {
        let mut rows = Vec::new();
        let mut after = None;
        loop {
            let page = self
                .inbox(InboxQuery {
                    customer: Some(customer),
                    after,
                    limit: crate::ports::MAX_INBOX_PAGE,
                    ..InboxQuery::default()
                })
                .await?;
            rows.extend(page.rows);
            match page.next_cursor {
                Some(c) if rows.len() < MAX_HISTORY => after = Some(c),
                _ => break,
            }
        }
        rows.truncate(MAX_HISTORY);
        Ok(rows)
    }
}

fn cut(s: &str) -> String {
    s.chars().take(64).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_label_keeps_its_default_colour() {
        assert_eq!(
            default_label_colour("urgent"),
            default_label_colour("urgent")
        );
        assert!(crate::inbox::settings::DEFAULT_PALETTE.contains(&default_label_colour("")));
        let distinct: std::collections::BTreeSet<&str> =
            ["urgent", "vip", "billing", "bug", "sales"]
                .iter()
                .map(|l| default_label_colour(l))
                .collect();
        assert!(distinct.len() > 1);
    }
}
