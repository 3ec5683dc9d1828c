//! Account settings: who sends, where forwards go, which time zone.
//!
//! The reply domain, address prefix, keyring and token TTL live in the
//! [`TokenAuthority`](crate::token::TokenAuthority) and [`AddressFormat`](crate::address::AddressFormat)
//! given to the engine beside these settings.

use super::customer::{AddressCheckError, normalize_email};
use chrono_tz::Tz;

/// One account's settings.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AccountSettings {
    /// The account's name, shown in forwards ("Marie Dupont via Acme").
    pub name: String,
    /// The `From` address of outgoing email (lowercase).
    pub from_address: String,
    /// The `From` display name of outgoing email.
    pub from_name: Option<String>,
    /// The account owner's own inbox: forwards go here unless a custom reply-to is set.
    pub account_email: String,
    /// A shared inbox or support system that gets the forwards instead, when set.
    pub custom_reply_to: Option<String>,
    /// The time zone snooze presets are read in, unless an agent's own is given.
    pub time_zone: Tz,
}

impl AccountSettings {
    /// Settings with the account's name, its sending address and its owner's inbox; time zone UTC.
    ///
    /// # Errors
    /// [`AddressCheckError`] when an address is not an email address.
    pub fn new(
        name: impl Into<String>,
        from_address: &str,
        account_email: &str,
    ) -> Result<Self, AddressCheckError> {
        Ok(Self {
            name: name.into(),
            from_address: normalize_email(from_address)?,
            from_name: None,
            account_email: normalize_email(account_email)?,
            custom_reply_to: None,
            time_zone: Tz::UTC,
        })
    }

    /// Set the `From` display name.
    pub fn from_name(mut self, name: impl Into<String>) -> Self {
        self.from_name = Some(name.into());
        self
    }

    /// Send forwards to a shared inbox or support system instead of the account email.
    ///
    /// # Errors
    /// [`AddressCheckError`] when it is not an email address.
    pub fn custom_reply_to(mut self, address: &str) -> Result<Self, AddressCheckError> {
        self.custom_reply_to = Some(normalize_email(address)?);
        Ok(self)
    }

    /// Set the time zone.
    pub fn time_zone(mut self, tz: Tz) -> Self {
        self.time_zone = tz;
        self
    }

    /// Where forwards go: the custom reply-to when set, else the account email.
    pub fn forward_to(&self) -> &str {
        self.custom_reply_to
            .as_deref()
            .unwrap_or(&self.account_email)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn forwards_go_to_the_custom_reply_to_when_set() {
        let a = AccountSettings::new("Acme", "hello@acme.example", "Owner@Acme.example").unwrap();
        assert_eq!(a.forward_to(), "owner@acme.example");
        let a = a.custom_reply_to("support@acme.example").unwrap();
        assert_eq!(a.forward_to(), "support@acme.example");
        assert!(AccountSettings::new("Acme", "not an address", "o@acme.example").is_err());
    }
}
