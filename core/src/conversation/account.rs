//! Account settings: who sends, where forwards go, which time zone, which language, and which
//! analysis suggestions are applied by themselves.
//!
//! The reply domain, address prefix, keyring and token TTL live in the
//! [`TokenAuthority`](crate::token::TokenAuthority) and [`AddressFormat`](crate::address::AddressFormat)
//! given to the engine beside these settings.

use super::customer::{AddressCheckError, normalize_email};
use chrono_tz::Tz;
use serde::{Deserialize, Serialize};

/// Which suggestions of a reply's analysis the analysis worker applies to the conversation by
/// itself (each defaults to on). The analysis and its private note are stored either way.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct AnalysisSettings {
    /// Add the analysis's suggested labels to the conversation.
    pub apply_labels: bool,
    /// Raise the conversation's priority: to high when the reply needs attention, to urgent when
    /// it is urgent. Priority is only ever raised, never lowered.
    pub apply_priority: bool,
    /// Flag high-value replies by adding the [`HIGH_VALUE_LABEL`] label to the conversation.
    pub flag_high_value: bool,
}

impl Default for AnalysisSettings {
    fn default() -> Self {
        Self {
            apply_labels: true,
            apply_priority: true,
            flag_high_value: true,
        }
    }
}

impl AnalysisSettings {
    /// Apply nothing: analyses and notes only.
    pub fn none() -> Self {
        Self {
            apply_labels: false,
            apply_priority: false,
            flag_high_value: false,
        }
    }
}

/// The label that flags a conversation whose reply was analysed as high value. A label rather
/// than a dedicated field, so every store can filter on it
/// ([`ConversationQuery::label`](crate::ports::ConversationQuery::label)) without a schema change.
pub const HIGH_VALUE_LABEL: &str = "high-value";

/// The account language when none is set.
pub const DEFAULT_LANGUAGE: &str = "en";

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
    /// The account's language, ISO 639-1 (default [`DEFAULT_LANGUAGE`]): analyses write their
    /// insights and actions in it, whatever the reply's language.
    pub language: String,
    /// Which analysis suggestions are applied by themselves.
    pub analysis: AnalysisSettings,
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
            language: DEFAULT_LANGUAGE.to_string(),
            analysis: AnalysisSettings::default(),
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

    /// Set the account's language (ISO 639-1, such as `"fr"`). It is trimmed and lowercased; an
    /// empty one, or one longer than 8 bytes or not made of ASCII letters and `-`, keeps the
    /// current language.
    pub fn language(mut self, lang: &str) -> Self {
        let lang = lang.trim().to_ascii_lowercase();
        if !lang.is_empty()
            && lang.len() <= 8
            && lang.bytes().all(|b| b.is_ascii_lowercase() || b == b'-')
        {
            self.language = lang;
        }
        self
    }

    /// Choose which analysis suggestions are applied by themselves.
    pub fn analysis_settings(mut self, settings: AnalysisSettings) -> Self {
        self.analysis = settings;
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

    #[test]
    fn language_defaults_to_english_and_ignores_nonsense() {
        let a = AccountSettings::new("Acme", "hello@acme.example", "o@acme.example").unwrap();
        assert_eq!(a.language, "en");
        assert_eq!(a.clone().language(" FR ").language, "fr");
        assert_eq!(a.clone().language("").language, "en");
        assert_eq!(a.language("fr; drop table").language, "en");
    }

    #[test]
    fn every_analysis_suggestion_is_applied_by_default() {
        let s = AnalysisSettings::default();
        assert!(s.apply_labels && s.apply_priority && s.flag_high_value);
        let partial: AnalysisSettings = serde_json::from_str(r#"{"apply_labels":false}"#).unwrap();
        assert!(!partial.apply_labels && partial.apply_priority && partial.flag_high_value);
    }
}
