//! Callbacks into the host: notifications from rules, and the customer fields routing reads.

use std::collections::BTreeMap;

use async_trait::async_trait;
use serde::{Deserialize, Serialize};

use crate::conversation::{ConversationId, Customer, CustomerId};

/// A notification an automation rule asked for ([`Action::Notify`](super::Action::Notify)).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Notification {
    /// The rule that asked for it.
    pub rule: String,
    /// Who to notify, as the rule names them (an agent, a team, a channel: the host decides).
    pub target: String,
    /// What to say.
    pub message: String,
    /// The conversation it is about.
    pub conversation: ConversationId,
    /// Its customer.
    pub customer: CustomerId,
}

/// Delivers notifications (a chat message, a push, an email to a manager: the host's choice).
///
/// Called after the rule's changes are committed; a notification is delivered at most once per
/// evaluation. The engine does not retry: a host that needs retries queues them itself.
#[async_trait]
pub trait Notifier: Send + Sync {
    /// Deliver one notification.
    async fn notify(&self, notification: Notification);
}

/// The customer fields routing rules read ([`Condition::CustomerField`](super::Condition)),
/// from the host's own customer records (plan, country, account manager…).
#[async_trait]
pub trait CustomerFields: Send + Sync {
    /// The fields of a customer (names as routing rules spell them).
    async fn fields(&self, customer: &Customer) -> BTreeMap<String, String>;
}

/// A [`Notifier`] that keeps what it is given (tests, demos).
#[derive(Debug, Default)]
pub struct MemoryNotifier(std::sync::Mutex<Vec<Notification>>);

impl MemoryNotifier {
    /// An empty one.
    pub fn new() -> Self {
        Self::default()
    }

    /// The notifications delivered so far, oldest first.
    pub fn delivered(&self) -> Vec<Notification> {
        self.0.lock().map(|v| v.clone()).unwrap_or_default()
    }
}

#[async_trait]
impl Notifier for MemoryNotifier {
    async fn notify(&self, notification: Notification) {
        if let Ok(mut v) = self.0.lock() {
            v.push(notification);
        }
    }
}
