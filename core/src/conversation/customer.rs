//! Customers (contacts): who we write to, at which addresses, and where they are in the funnel.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::funnel::FunnelStage;
use super::ids::{ConversationId, CustomerId};
use crate::token::ReplyToken;

/// Longest accepted email address, in bytes (RFC 5321's path limit).
pub const MAX_ADDRESS_LEN: usize = 254;

/// Why an email address was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AddressCheckError {
    /// Not `local@domain` with a dot-free-or-dotted domain and no spaces or angle brackets.
    #[error("{0:?} is not an email address (expected local@domain)")]
    NotAnAddress(String),
    /// Longer than [`MAX_ADDRESS_LEN`].
    #[error("email address is {0} bytes, over the limit of {MAX_ADDRESS_LEN}")]
    TooLong(usize),
}

/// Lowercase and check an email address (`Marie@Example.FR` → `marie@example.fr`).
///
/// The whole address is lowercased: mailbox local parts are case-insensitive at every provider a
/// product's customers use, and matching a reply's sender must not depend on how it was typed.
///
/// # Errors
/// [`AddressCheckError`] when it is not `local@domain` or is too long.
pub fn normalize_email(address: &str) -> Result<String, AddressCheckError> {
    let a = address.trim();
    if a.len() > MAX_ADDRESS_LEN {
        return Err(AddressCheckError::TooLong(a.len()));
    }
    let bad = || AddressCheckError::NotAnAddress(a.chars().take(80).collect());
    let (local, domain) = a.rsplit_once('@').ok_or_else(bad)?;
    let clean = |s: &str| {
        !s.is_empty()
            && !s
                .chars()
                .any(|c| c.is_whitespace() || c.is_control() || matches!(c, '<' | '>' | ',' | ';'))
    };
    if !clean(local) || !clean(domain) || local.contains('@') || domain.starts_with('.') {
        return Err(bad());
    }
    Ok(a.to_lowercase())
}

/// Whether mail to an address arrives.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(tag = "status", rename_all = "snake_case")]
pub enum AddressStatus {
    /// No failure seen.
    #[default]
    Deliverable,
    /// Temporary failures (4.x.x): still used.
    SoftBounced {
        /// How many in a row.
        count: u32,
        /// The latest.
        last_at: DateTime<Utc>,
    },
    /// A permanent failure (5.x.x): not written to any more.
    HardBounced {
        /// When.
        at: DateTime<Utc>,
    },
}

/// One of a customer's addresses.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CustomerEmail {
    /// The address, lowercase.
    pub address: String,
    /// Whether mail to it arrives.
    pub status: AddressStatus,
}

/// A reply that arrived on an expired token: the customer is owed a new reply address, which the
/// next outgoing email brings (and that email continues this conversation).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PendingReissue {
    /// The expired token the reply came in on.
    pub token: ReplyToken,
    /// The conversation it belonged to, if any.
    pub conversation: Option<ConversationId>,
    /// When the refused reply arrived.
    pub at: DateTime<Utc>,
}

/// A customer (contact).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Customer {
    /// Our id.
    pub id: CustomerId,
    /// The host application's id for them, if given (unique).
    pub external_id: Option<String>,
    /// Their name.
    pub name: Option<String>,
    /// Their addresses, the first being the one written to by default (each unique across customers).
    pub emails: Vec<CustomerEmail>,
    /// Their phone number (for WhatsApp later).
    pub phone: Option<String>,
    /// Where they are in the funnel.
    pub funnel: FunnelStage,
    /// Owed a new reply address after a reply on an expired one.
    pub pending_reissue: Option<PendingReissue>,
    /// When we first knew them.
    pub created_at: DateTime<Utc>,
    /// Optimistic-concurrency version, set by the store (1 on insert, +1 per update).
    pub version: u64,
}

impl Customer {
    /// Whether `address` (any case) is one of theirs.
    pub fn has_email(&self, address: &str) -> bool {
        self.emails
            .iter()
            .any(|e| e.address.eq_ignore_ascii_case(address.trim()))
    }

    /// The addresses we may still write to (not hard-bounced), in order.
    pub fn deliverable_emails(&self) -> impl Iterator<Item = &str> {
        self.emails
            .iter()
            .filter(|e| !matches!(e.status, AddressStatus::HardBounced { .. }))
            .map(|e| e.address.as_str())
    }

    /// A display form: `Marie Dupont <marie@example.fr>`, or the address alone.
    pub fn display(&self) -> String {
        let addr = self
            .emails
            .first()
            .map(|e| e.address.as_str())
            .unwrap_or("");
        match &self.name {
            Some(n) if !n.is_empty() => format!("{n} <{addr}>"),
            _ => addr.to_string(),
        }
    }
}

/// What the host gives to create a customer.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct NewCustomer {
    /// The host's id for them.
    pub external_id: Option<String>,
    /// Their name.
    pub name: Option<String>,
    /// At least one address.
    pub emails: Vec<String>,
    /// Their phone number.
    pub phone: Option<String>,
}

impl NewCustomer {
    /// A customer with one address.
    pub fn new(email: impl Into<String>) -> Self {
        Self {
            emails: vec![email.into()],
            ..Self::default()
        }
    }

    /// Set the name.
    pub fn name(mut self, name: impl Into<String>) -> Self {
        self.name = Some(name.into());
        self
    }

    /// Set the host's id.
    pub fn external_id(mut self, id: impl Into<String>) -> Self {
        self.external_id = Some(id.into());
        self
    }

    /// Add another address.
    pub fn email(mut self, email: impl Into<String>) -> Self {
        self.emails.push(email.into());
        self
    }

    /// Build the record at `now`.
    ///
    /// # Errors
    /// [`AddressCheckError`] for the first address that is not an email address, or
    /// [`AddressCheckError::NotAnAddress`] when there is none.
    pub fn build(self, now: DateTime<Utc>) -> Result<Customer, AddressCheckError> {
        if self.emails.is_empty() {
            return Err(AddressCheckError::NotAnAddress(String::new()));
        }
        let mut emails: Vec<CustomerEmail> = Vec::with_capacity(self.emails.len());
        for e in &self.emails {
            let address = normalize_email(e)?;
            if !emails.iter().any(|x| x.address == address) {
                emails.push(CustomerEmail {
                    address,
                    status: AddressStatus::Deliverable,
                });
            }
        }
        Ok(Customer {
            id: CustomerId::generate(now),
            external_id: self.external_id,
            name: self.name,
            emails,
            phone: self.phone,
            funnel: FunnelStage::New,
            pending_reissue: None,
            created_at: now,
            version: 0,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn addresses_are_lowercased_and_checked() {
        assert_eq!(
            normalize_email(" Marie@Example.FR ").as_deref(),
            Ok("marie@example.fr")
        );
        for bad in [
            "", "marie", "@x.fr", "marie@", "a b@x.fr", "<m@x.fr>", "m@x@y",
        ] {
            assert!(normalize_email(bad).is_err(), "{bad}");
        }
        assert!(matches!(
            normalize_email(&format!("{}@x.fr", "a".repeat(300))),
            Err(AddressCheckError::TooLong(_))
        ));
    }

    #[test]
    fn a_new_customer_needs_an_address_and_drops_repeats() {
        let now = DateTime::<Utc>::from_timestamp(1_772_532_000, 0).unwrap_or_default();
        assert!(NewCustomer::default().build(now).is_err());
        let c = NewCustomer::new("m@x.fr")
            .email("M@X.fr")
            .name("Marie")
            .build(now)
            .unwrap();
        assert_eq!(c.emails.len(), 1);
        assert!(c.has_email("M@x.FR"));
        assert_eq!(c.display(), "Marie <m@x.fr>");
    }
}
