//! Mailgun webhook authenticity: HMAC-SHA256 of `timestamp` + `token` under the account's HTTP
//! webhook signing key, a freshness window, and a replay check.

use std::collections::{BTreeSet, HashMap};
use std::fmt;

use chrono::{DateTime, TimeDelta, Utc};
use hmac::{Hmac, Mac};
use sha2::Sha256;
use subtle::ConstantTimeEq;

use super::ProviderLimits;
use super::error::ProviderError;
use super::json;
use super::multipart::parse_form;

/// Longest token accepted (Mailgun's are 50 characters); bounds what a replay guard stores.
const MAX_TOKEN: usize = 256;

/// The Mailgun HTTP webhook signing key. `Debug` never shows it.
#[derive(Clone)]
pub struct MailgunSigningKey(Vec<u8>);

impl MailgunSigningKey {
    /// Wrap a signing key as shown in the Mailgun control panel.
    pub fn new(key: impl Into<String>) -> Self {
        Self(key.into().into_bytes())
    }
}

impl fmt::Debug for MailgunSigningKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("MailgunSigningKey(<redacted>)")
    }
}

/// How old (or how far in the future) a signed timestamp may be.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Freshness {
    /// Oldest accepted timestamp, before `now`. Default 5 minutes.
    pub max_age: TimeDelta,
    /// Furthest accepted timestamp after `now` (clock skew). Default 1 minute.
    pub max_skew: TimeDelta,
}

impl Default for Freshness {
    fn default() -> Self {
        Self {
            max_age: TimeDelta::minutes(5),
            max_skew: TimeDelta::minutes(1),
        }
    }
}

/// Remembers webhook tokens already seen, so a captured request cannot be replayed.
///
/// The host implements it over its store (a table with a unique key and an expiry) when it runs
/// more than one instance; [`InMemoryReplayGuard`] serves a single process.
pub trait ReplayGuard {
    /// Remember `token` until `expires`. Returns `true` when the token was new, `false` when it
    /// was seen before (a replay).
    fn check_and_remember(&mut self, token: &str, expires: DateTime<Utc>) -> bool;
}

/// A [`ReplayGuard`] in memory, bounded: past `capacity` tokens the one expiring first is
/// forgotten. Call [`prune`](Self::prune) now and then to drop expired tokens.
#[derive(Debug, Clone)]
pub struct InMemoryReplayGuard {
    seen: HashMap<String, DateTime<Utc>>,
    by_expiry: BTreeSet<(DateTime<Utc>, String)>,
    capacity: usize,
}

impl Default for InMemoryReplayGuard {
    fn default() -> Self {
        Self::with_capacity(100_000)
    }
}

impl InMemoryReplayGuard {
    /// A guard that remembers at most `capacity` tokens (at least one).
    pub fn with_capacity(capacity: usize) -> Self {
        Self {
            seen: HashMap::new(),
            by_expiry: BTreeSet::new(),
            capacity: capacity.max(1),
        }
    }

    /// Forget every token whose expiry is before `now`.
    pub fn prune(&mut self, now: DateTime<Utc>) {
        while let Some(first) = self.by_expiry.first() {
            if first.0 >= now {
                break;
            }
            if let Some((_, token)) = self.by_expiry.pop_first() {
                self.seen.remove(&token);
            }
        }
    }

    /// How many tokens are remembered.
    pub fn len(&self) -> usize {
        self.seen.len()
    }

    /// Whether no token is remembered.
    pub fn is_empty(&self) -> bool {
        self.seen.is_empty()
    }
}

impl ReplayGuard for InMemoryReplayGuard {
    fn check_and_remember(&mut self, token: &str, expires: DateTime<Utc>) -> bool {
        if self.seen.contains_key(token) {
            return false;
        }
        if self.seen.len() >= self.capacity
            && let Some((_, oldest)) = self.by_expiry.pop_first()
        {
            self.seen.remove(&oldest);
        }
        self.seen.insert(token.to_string(), expires);
        self.by_expiry.insert((expires, token.to_string()));
        true
    }
}

/// Why a Mailgun signature was refused. The messages never include the key or the signature.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum SignatureError {
    /// `timestamp` is not a Unix time in seconds.
    #[error("Mailgun signature timestamp is not a Unix time in seconds")]
    MalformedTimestamp,
    /// `token` is empty or longer than 256 characters.
    #[error("Mailgun signature token is empty or longer than 256 characters")]
    MalformedToken,
    /// `signature` is not 64 hex digits.
    #[error("Mailgun signature is not 64 hex digits")]
    MalformedSignature,
    /// The HMAC does not match: wrong key, or the request was forged or altered.
    #[error("Mailgun signature does not match the signing key")]
    BadSignature,
    /// The timestamp is older than [`Freshness::max_age`].
    #[error("Mailgun signature is stale: signed {age_secs} s ago, limit {max_age_secs} s")]
    Stale {
        /// Seconds between the timestamp and now.
        age_secs: i64,
        /// The limit.
        max_age_secs: i64,
    },
    /// The timestamp is further ahead of `now` than [`Freshness::max_skew`].
    #[error("Mailgun signature is from the future: {ahead_secs} s ahead, limit {max_skew_secs} s")]
    FromTheFuture {
        /// Seconds the timestamp is ahead of now.
        ahead_secs: i64,
        /// The limit.
        max_skew_secs: i64,
    },
    /// The token was seen before: the request is a replay.
    #[error("Mailgun signature token was already used (replayed request)")]
    Replayed,
}

/// The three signature fields of a Mailgun request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MailgunSignature {
    /// Unix time in seconds, as sent.
    pub timestamp: String,
    /// A random string, unique per request.
    pub token: String,
    /// Lowercase hex HMAC-SHA256 of `timestamp` + `token`.
    pub signature: String,
}

impl MailgunSignature {
    /// Take `timestamp`, `token` and `signature` from a route's form payload.
    ///
    /// # Errors
    /// [`ProviderError::MissingField`] naming the absent field, or a form error.
    pub fn from_form(
        body: &[u8],
        content_type: Option<&str>,
        limits: &ProviderLimits,
    ) -> Result<Self, ProviderError> {
        let form = parse_form(body, content_type, limits)?;
        let field = |name: &str| {
            form.bytes(name)
                .map(|b| String::from_utf8_lossy(b).trim().to_string())
                .ok_or_else(|| ProviderError::MissingField {
                    field: name.to_string(),
                })
        };
        Ok(Self {
            timestamp: field("timestamp")?,
            token: field("token")?,
            signature: field("signature")?,
        })
    }

    /// Take the `signature` object of a JSON event webhook (`{"signature": {"timestamp": …,
    /// "token": …, "signature": …}, "event-data": …}`).
    ///
    /// # Errors
    /// [`ProviderError::InvalidJson`], [`ProviderError::MissingField`] or
    /// [`ProviderError::WrongType`] naming the field.
    pub fn from_webhook_json(body: &[u8], limits: &ProviderLimits) -> Result<Self, ProviderError> {
        super::check_payload_size(body, limits)?;
        let value = json::parse(body, None)?;
        let root = json::object(&value, "")?;
        let sig = json::opt_object(root, "signature", "")?.ok_or_else(|| {
            ProviderError::MissingField {
                field: "signature".to_string(),
            }
        })?;
        let timestamp = match sig.get("timestamp") {
            Some(serde_json::Value::Number(n)) => n.to_string(),
            _ => json::req_str(sig, "timestamp", "signature")?.to_string(),
        };
        Ok(Self {
            timestamp,
            token: json::req_str(sig, "token", "signature")?.to_string(),
            signature: json::req_str(sig, "signature", "signature")?.to_string(),
        })
    }

    /// Check these fields with [`verify_mailgun_signature`].
    ///
    /// # Errors
    /// See [`verify_mailgun_signature`].
    pub fn verify(
        &self,
        key: &MailgunSigningKey,
        now: DateTime<Utc>,
        freshness: &Freshness,
        replay: &mut dyn ReplayGuard,
    ) -> Result<(), SignatureError> {
        verify_mailgun_signature(
            key,
            &self.timestamp,
            &self.token,
            &self.signature,
            now,
            freshness,
            replay,
        )
    }
}

/// Verify a Mailgun webhook signature: HMAC-SHA256(`signing_key`, `timestamp` + `token`) in hex,
/// compared in constant time; then the timestamp must lie within `freshness` of `now`; then the
/// token must be new to `replay` (it is remembered until it would be stale anyway). A request
/// that fails the HMAC never reaches the replay guard.
///
/// # Errors
/// A [`SignatureError`] saying which check failed.
pub fn verify_mailgun_signature(
    signing_key: &MailgunSigningKey,
    timestamp: &str,
    token: &str,
    signature: &str,
    now: DateTime<Utc>,
    freshness: &Freshness,
    replay: &mut dyn ReplayGuard,
) -> Result<(), SignatureError> {
    let timestamp = timestamp.trim();
    if timestamp.is_empty()
        || timestamp.len() > 12
        || !timestamp.bytes().all(|b| b.is_ascii_digit())
    {
        return Err(SignatureError::MalformedTimestamp);
    }
    let seconds: i64 = timestamp
        .parse()
        .map_err(|_| SignatureError::MalformedTimestamp)?;
    let signed_at =
        DateTime::<Utc>::from_timestamp(seconds, 0).ok_or(SignatureError::MalformedTimestamp)?;
    if token.is_empty() || token.len() > MAX_TOKEN {
        return Err(SignatureError::MalformedToken);
    }
    let given = decode_hex_32(signature.trim()).ok_or(SignatureError::MalformedSignature)?;

    let mut mac =
        Hmac::<Sha256>::new_from_slice(&signing_key.0).map_err(|_| SignatureError::BadSignature)?;
    mac.update(timestamp.as_bytes());
    mac.update(token.as_bytes());
    let expected = mac.finalize().into_bytes();
    if !bool::from(expected.as_slice().ct_eq(&given)) {
        return Err(SignatureError::BadSignature);
    }

    let age = now.signed_duration_since(signed_at);
    if age > freshness.max_age {
        return Err(SignatureError::Stale {
            age_secs: age.num_seconds(),
            max_age_secs: freshness.max_age.num_seconds(),
        });
    }
    if -age > freshness.max_skew {
        return Err(SignatureError::FromTheFuture {
            ahead_secs: (-age).num_seconds(),
            max_skew_secs: freshness.max_skew.num_seconds(),
        });
    }
    let expires = signed_at
        .checked_add_signed(freshness.max_age)
        .unwrap_or(DateTime::<Utc>::MAX_UTC);
    if !replay.check_and_remember(token, expires) {
        return Err(SignatureError::Replayed);
    }
    Ok(())
}

/// 64 hex digits (either case) as 32 bytes.
fn decode_hex_32(text: &str) -> Option<[u8; 32]> {
    let mut out = [0u8; 32];
    hex::decode_to_slice(text, &mut out).ok()?;
    Some(out)
}
