//! What is kept of inbound deliveries before and besides parsing: raw bytes under retention,
//! and dead letters of what could not be parsed.

use std::fmt;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// The raw bytes of an inbound delivery, kept so that nothing received is ever lost.
///
/// Keyed by the SHA-256 of the bytes: a provider's retry of the same payload is kept once.
/// Kept until [`Store::purge_raw`](super::Store::purge_raw) removes it (the host's retention period).
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RawInbound {
    /// SHA-256 of `bytes`, lowercase hex.
    pub sha256: String,
    /// Where they came from (`sendgrid`, `mailgun`, `postmark`, `ses`, `raw`, …).
    pub source: String,
    /// When they were received.
    pub received_at: DateTime<Utc>,
    /// The bytes as received.
    pub bytes: Vec<u8>,
}

impl RawInbound {
    /// Bytes received from `source` at `received_at`.
    pub fn new(source: impl Into<String>, bytes: Vec<u8>, received_at: DateTime<Utc>) -> Self {
        use sha2::Digest;
        Self {
            sha256: hex::encode(sha2::Sha256::digest(&bytes)),
            source: source.into(),
            received_at,
            bytes,
        }
    }
}

impl fmt::Debug for RawInbound {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RawInbound")
            .field("sha256", &self.sha256)
            .field("source", &self.source)
            .field("received_at", &self.received_at)
            .field("bytes", &self.bytes.len())
            .finish()
    }
}

/// Longest error text kept with a dead letter or a failed job, in characters.
pub const MAX_ERROR_CHARS: usize = 2_000;

/// An inbound delivery that could not be parsed, kept with the error until someone deals with it.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DeadLetter {
    /// The bytes, with their key and origin.
    pub raw: RawInbound,
    /// Why they could not be parsed (cut to [`MAX_ERROR_CHARS`] by the store).
    pub error: String,
}

impl fmt::Debug for DeadLetter {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("DeadLetter")
            .field("raw", &self.raw)
            .field("error", &self.error)
            .finish()
    }
}

/// Cut an error text to [`MAX_ERROR_CHARS`] characters (stores keep no more).
pub fn cut_error(error: &str) -> String {
    error.chars().take(MAX_ERROR_CHARS).collect()
}
