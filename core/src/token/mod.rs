//! Reply tokens: 16 characters that tie a reply to the email it answers, verifiable without storage.
//!
//! Every outgoing email gets a fresh token inside its reply address
//! (`reply+7k3m9q2x5c8v1b4n@reply.example.com`). The token is 80 bits (see [`codec`] for the
//! layout): a key id, the low 8 bits of the issue day, a 28-bit random handle and a 40-bit tag,
//! the leftmost 5 bytes of HMAC-SHA256 over a domain-separated input (a version label, the key id,
//! the *full* issue day, the handle and the reply domain). A forger's odds are 2^-40 per guess.
//!
//! [`TokenAuthority::verify`] refuses forged, malformed, retired-key and expired tokens from the
//! token alone, in this order, each with its own [`TokenError`]: decode → key id known and active →
//! not issued in the future (small skew allowed) → age within the TTL → constant-time tag check.
//! Only a token that passes costs the caller a storage lookup.
//!
//! ## Time rules
//! The token's clock has day resolution: `issued_at` is the start (00:00 UTC) of the day the token
//! was issued and `expires_at = issued_at + ttl`, so with the default 90-day TTL a token lives
//! between 89 and 90 days. The full issue day is recovered as the latest day, no later than
//! tomorrow, whose low 8 bits match, so the TTL is capped at [`MAX_TTL_DAYS`] and a token older
//! than 256 days is still refused (its tag was computed over the real day; one between 256 and
//! 511 days old is recognised and refused as expired, an older one as forged). All rules take `now`
//! as an argument; nothing here reads the clock.
//!
//! ## Uniqueness
//! The handle is 28 random bits per key and day. Two emails issued the same day can, rarely, draw
//! the same handle: the store keeps one record per token (a unique key) and the engine issues
//! again on conflict, so every email still gets its own token.
//!
//! ```
//! use chrono::{Duration, TimeZone, Utc};
//! use replytrack::token::{KeyId, Keyring, Secret, TokenAuthority, TokenError};
//!
//! let secret = Secret::from_hex("000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f")?;
//! let authority = TokenAuthority::builder(Keyring::single(KeyId::new(0).unwrap(), secret))
//!     .domain("reply.example.com")
//!     .build()?;
//! let now = Utc.with_ymd_and_hms(2026, 3, 3, 10, 12, 0).unwrap();
//! let issued = authority.issue(now)?;
//! let verified = authority.verify(&issued.token.to_string(), now)?;
//! assert_eq!(verified.token, issued.token);
//! let later = now + Duration::days(91);
//! assert!(matches!(authority.verify(&issued.token.to_string(), later), Err(TokenError::Expired { .. })));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

pub mod codec;
mod keyring;
mod secret;

use chrono::{DateTime, Duration, Utc};
use serde::Serialize;
use subtle::ConstantTimeEq;

use hmac::Mac;

pub use codec::{KeyId, MalformedReason, ReplyToken, TOKEN_LEN};
pub use keyring::{KeyEntry, Keyring, KeyringError, REPLY_TOKEN_PURPOSE};
pub use secret::{Secret, SecretError};

use keyring::{KeyLookup, day_of};

/// Default token lifetime.
pub const DEFAULT_TTL_DAYS: i64 = 90;
/// Longest allowed lifetime: the issue day is stored modulo 256, and a margin keeps recovery exact.
pub const MAX_TTL_DAYS: i64 = 240;
/// Default allowance for clocks running ahead of ours.
pub const DEFAULT_SKEW_SECONDS: i64 = 300;

const MAC_LABEL: &[u8] = b"replytrack/reply-token/v1\0";
const SECONDS_PER_DAY: i64 = 86_400;

/// Why a token was refused. None of these needed storage.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TokenError {
    /// Not a token at all.
    #[error("token is malformed: {0}")]
    Malformed(MalformedReason),
    /// The key id is not in the keyring (or that key was not signing on the issue day).
    #[error("token names key {key_id}, which was not signing on {issued}")]
    UnknownKey {
        /// The key id in the token.
        key_id: KeyId,
        /// The issue day the token claims.
        issued: DateTime<Utc>,
    },
    /// The key was retired: its tokens are revoked.
    #[error("token was signed by key {key_id}, which is retired")]
    KeyRetired {
        /// The key id in the token.
        key_id: KeyId,
    },
    /// Issued later than now plus the allowed skew.
    #[error("token is not valid yet: issued {issued}, now {now}")]
    NotYetValid {
        /// When the token says it was issued.
        issued: DateTime<Utc>,
        /// The time of the check.
        now: DateTime<Utc>,
    },
    /// Older than the TTL.
    #[error("token is expired: issued {}, ttl {ttl_days} days, expired {expired_at}", issued.format("%Y-%m-%d"))]
    Expired {
        /// When the token was issued (start of its UTC day).
        issued: DateTime<Utc>,
        /// When it expired.
        expired_at: DateTime<Utc>,
        /// The TTL in force.
        ttl_days: i64,
        /// Whether its tag is genuine: a real but old token (`true`), or a forgery that also
        /// happens to look old (`false`). Checked after the expiry, so the refusal stays cheap.
        authentic: bool,
    },
    /// The tag does not match: the token was not issued by us for this domain.
    #[error("token signature does not match (forged, mistyped, or for another domain)")]
    Forged,
}

impl TokenError {
    /// A stable machine-readable reason: `malformed`, `unknown_key`, `key_retired`,
    /// `not_yet_valid`, `expired` or `forged`.
    pub fn reason(&self) -> &'static str {
        match self {
            Self::Malformed(_) => "malformed",
            Self::UnknownKey { .. } => "unknown_key",
            Self::KeyRetired { .. } => "key_retired",
            Self::NotYetValid { .. } => "not_yet_valid",
            Self::Expired { .. } => "expired",
            Self::Forged => "forged",
        }
    }
}

/// Why a [`TokenAuthority`] could not be built or could not issue.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AuthorityError {
    /// The TTL is outside 1..=[`MAX_TTL_DAYS`] days.
    #[error("token ttl of {0} days is outside 1..={MAX_TTL_DAYS} days")]
    BadTtl(i64),
    /// The reply domain is empty or not a plausible domain name.
    #[error("reply domain {0:?} is not a domain name")]
    BadDomain(String),
    /// No key in the keyring may sign at that instant.
    #[error("no key in the keyring can sign at {0}")]
    NoSigningKey(DateTime<Utc>),
}

/// A freshly issued token.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct IssuedToken {
    /// The token.
    pub token: ReplyToken,
    /// The key that signed it.
    pub key_id: KeyId,
    /// Start of the UTC day it was issued.
    pub issued_at: DateTime<Utc>,
    /// When it stops being accepted.
    pub expires_at: DateTime<Utc>,
}

/// A token that passed every check.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct VerifiedToken {
    /// The token, canonical.
    pub token: ReplyToken,
    /// The key that signed it.
    pub key_id: KeyId,
    /// Start of the UTC day it was issued.
    pub issued_at: DateTime<Utc>,
    /// When it stops being accepted.
    pub expires_at: DateTime<Utc>,
}

/// Issues and verifies reply tokens for one reply domain.
#[derive(Debug, Clone)]
pub struct TokenAuthority {
    keyring: Keyring,
    domain: String,
    ttl: Duration,
    skew: Duration,
}

/// Builder for [`TokenAuthority`].
#[derive(Debug, Clone)]
pub struct TokenAuthorityBuilder {
    keyring: Keyring,
    domain: String,
    ttl_days: i64,
    skew_seconds: i64,
}

impl TokenAuthorityBuilder {
    /// The reply domain (`reply.example.com`); it is covered by the tag, so a token minted for
    /// one domain does not verify for another. Default `reply.example.com`.
    pub fn domain(mut self, domain: impl Into<String>) -> Self {
        self.domain = domain.into();
        self
    }

    /// Token lifetime in days (default 90, at most [`MAX_TTL_DAYS`]).
    pub fn ttl_days(mut self, days: i64) -> Self {
        self.ttl_days = days;
        self
    }

    /// Allowance for an issuer's clock running ahead (default 300 s).
    pub fn skew_seconds(mut self, seconds: i64) -> Self {
        self.skew_seconds = seconds.clamp(0, SECONDS_PER_DAY);
        self
    }

    /// Build.
    ///
    /// # Errors
    /// [`AuthorityError::BadTtl`] or [`AuthorityError::BadDomain`].
    pub fn build(self) -> Result<TokenAuthority, AuthorityError> {
        if !(1..=MAX_TTL_DAYS).contains(&self.ttl_days) {
            return Err(AuthorityError::BadTtl(self.ttl_days));
        }
        let domain = self
            .domain
            .trim()
            .trim_end_matches('.')
            .to_ascii_lowercase();
        let plausible = !domain.is_empty()
            && domain.len() <= 253
            && domain
                .split('.')
                .all(|l| !l.is_empty() && l.chars().all(|c| c.is_ascii_alphanumeric() || c == '-'));
        if !plausible {
            return Err(AuthorityError::BadDomain(self.domain));
        }
        Ok(TokenAuthority {
            keyring: self.keyring,
            domain,
            ttl: Duration::days(self.ttl_days),
            skew: Duration::seconds(self.skew_seconds),
        })
    }
}

impl TokenAuthority {
    /// Start building an authority over a keyring.
    pub fn builder(keyring: Keyring) -> TokenAuthorityBuilder {
        TokenAuthorityBuilder {
            keyring,
            domain: "reply.example.com".to_string(),
            ttl_days: DEFAULT_TTL_DAYS,
            skew_seconds: DEFAULT_SKEW_SECONDS,
        }
    }

    /// The reply domain, lowercase.
    pub fn domain(&self) -> &str {
        &self.domain
    }

    /// The token lifetime.
    pub fn ttl(&self) -> Duration {
        self.ttl
    }

    /// The keyring.
    pub fn keyring(&self) -> &Keyring {
        &self.keyring
    }

    /// Issue a new token at `now`, signed by the current key, with a fresh random handle.
    ///
    /// # Errors
    /// [`AuthorityError::NoSigningKey`] when no key may sign at `now`.
    pub fn issue(&self, now: DateTime<Utc>) -> Result<IssuedToken, AuthorityError> {
        let mut buf = [0u8; 4];
        getrandom::fill(&mut buf).expect("the OS random source is available");
        self.issue_with_handle(now, u32::from_be_bytes(buf))
    }

    /// Issue with a chosen handle (low 28 bits are used). For tests and for re-creating a token
    /// deterministically; production code wants [`TokenAuthority::issue`].
    ///
    /// # Errors
    /// [`AuthorityError::NoSigningKey`] when no key may sign at `now`.
    pub fn issue_with_handle(
        &self,
        now: DateTime<Utc>,
        handle: u32,
    ) -> Result<IssuedToken, AuthorityError> {
        let key = self
            .keyring
            .signing_key(now)
            .ok_or(AuthorityError::NoSigningKey(now))?;
        let day = day_of(now);
        let handle = handle & 0x0fff_ffff;
        let tag = self.tag(key, day, handle);
        let token = ReplyToken::from_parts(key.id, day as u8, handle, tag);
        let issued_at = day_start(day);
        Ok(IssuedToken {
            token,
            key_id: key.id,
            issued_at,
            expires_at: issued_at + self.ttl,
        })
    }

    /// Verify a token's text (any case, look-alikes folded) at `now`, without storage.
    ///
    /// # Errors
    /// The first check that refuses it, as a [`TokenError`].
    pub fn verify(&self, text: &str, now: DateTime<Utc>) -> Result<VerifiedToken, TokenError> {
        let token = ReplyToken::parse(text.trim()).map_err(TokenError::Malformed)?;
        self.verify_token(&token, now)
    }

    /// Verify an already-decoded token at `now`.
    ///
    /// # Errors
    /// As [`TokenAuthority::verify`].
    pub fn verify_token(
        &self,
        token: &ReplyToken,
        now: DateTime<Utc>,
    ) -> Result<VerifiedToken, TokenError> {
        // Tomorrow is the latest issue day we consider: a token "from tomorrow" is either an
        // issuer's clock running ahead (allowed within the skew) or not yet valid.
        let latest_day = day_of(now) + 1;
        let day = recover_day(token.day_low(), latest_day);
        let issued_at = day_start(day);
        let key = match self.keyring.lookup(token.key_id(), day, now) {
            KeyLookup::Found(k) => k,
            KeyLookup::Retired => {
                return Err(TokenError::KeyRetired {
                    key_id: token.key_id(),
                });
            }
            KeyLookup::Unknown => {
                return Err(TokenError::UnknownKey {
                    key_id: token.key_id(),
                    issued: issued_at,
                });
            }
        };
        if issued_at > now + self.skew {
            if let Some(expired) = self.genuine_older(token, day, now) {
                return Err(expired);
            }
            return Err(TokenError::NotYetValid {
                issued: issued_at,
                now,
            });
        }
        let expires_at = issued_at + self.ttl;
        if now > expires_at {
            let authentic = self.tag_matches(key, day, token);
            return Err(TokenError::Expired {
                issued: issued_at,
                expired_at: expires_at,
                ttl_days: self.ttl.num_days(),
                authentic,
            });
        }
        if !self.tag_matches(key, day, token) {
            if let Some(expired) = self.genuine_older(token, day, now) {
                return Err(expired);
            }
            return Err(TokenError::Forged);
        }
        Ok(VerifiedToken {
            token: *token,
            key_id: key.id,
            issued_at,
            expires_at,
        })
    }

    /// A genuine token older than 256 days aliases to a recent day, but its tag was computed
    /// over the real one: find that day, so it is refused as expired rather than forged.
    fn genuine_older(
        &self,
        token: &ReplyToken,
        day: i64,
        now: DateTime<Utc>,
    ) -> Option<TokenError> {
        (1..=3_i64)
            .map(|back| day - 256 * back)
            .take_while(|d| *d >= 0)
            .find_map(
                |older| match self.keyring.lookup(token.key_id(), older, now) {
                    KeyLookup::Found(k) if self.tag_matches(k, older, token) => {
                        let issued = day_start(older);
                        Some(TokenError::Expired {
                            issued,
                            expired_at: issued + self.ttl,
                            ttl_days: self.ttl.num_days(),
                            authentic: true,
                        })
                    }
                    _ => None,
                },
            )
    }

    fn tag_matches(&self, key: &KeyEntry, day: i64, token: &ReplyToken) -> bool {
        let expected = self.tag(key, day, token.handle());
        bool::from(expected.ct_eq(&token.tag()))
    }

    fn tag(&self, key: &KeyEntry, day: i64, handle: u32) -> [u8; 5] {
        let mut mac = key.mac();
        mac.update(MAC_LABEL);
        mac.update(&[key.id.get()]);
        mac.update(&day.to_be_bytes());
        mac.update(&handle.to_be_bytes());
        mac.update(&(self.domain.len() as u32).to_be_bytes());
        mac.update(self.domain.as_bytes());
        let full = mac.finalize().into_bytes();
        let mut tag = [0u8; 5];
        tag.copy_from_slice(&full[..5]);
        tag
    }
}

/// The latest day ≤ `latest` whose low 8 bits are `low`.
fn recover_day(low: u8, latest: i64) -> i64 {
    let diff = (latest - i64::from(low)).rem_euclid(256);
    latest - diff
}

fn day_start(day: i64) -> DateTime<Utc> {
    DateTime::<Utc>::from_timestamp(day * SECONDS_PER_DAY, 0).unwrap_or(DateTime::<Utc>::UNIX_EPOCH)
}

#[cfg(test)]
mod tests;
