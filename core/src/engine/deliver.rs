//! Deliveries as bytes: [`Engine::ingest_raw`] (RFC 5322) and [`Engine::ingest_payload`] (a
//! provider's webhook body). Both make sure nothing received is lost before anything else
//! happens:
//!
//! - the bytes are kept in the store's raw archive ([`Store::keep_raw`], keyed by SHA-256, so a
//!   webhook retry keeps one copy) when [`EngineConfig::keep_raw`](super::EngineConfig::keep_raw)
//!   is on, before the message is ingested;
//! - bytes that cannot be read go to the dead-letter table ([`Store::dead_letter`]) with the
//!   error, and the outcome is [`IngestOutcome::Rejected`].
//!
//! A store without an archive (the trait's default methods) is not an error: the bytes are then
//! the caller's to keep. Any other store failure is an `Err`, so the webhook answers 5xx and the
//! provider delivers again.
//!
//! [`Store::keep_raw`]: crate::ports::Store::keep_raw
//! [`Store::dead_letter`]: crate::ports::Store::dead_letter

use chrono::{DateTime, Utc};
use sha2::{Digest, Sha256};

use super::outcome::{IngestOutcome, RejectReason};
use super::{Engine, EngineError};
use crate::message::InboundMessage;
use crate::ports::{DeadLetter, RawInbound, StoreError, Unsupported, cut_error};
use crate::provider::{ProviderError, ProviderKind, ProviderOptions, parse_provider};

impl Engine {
    /// Parse raw RFC 5322 bytes and [`ingest`](Engine::ingest) them, first keeping the bytes in
    /// the store's raw archive when [`EngineConfig::keep_raw`](super::EngineConfig::keep_raw) is
    /// on. Bytes that cannot be parsed are dead-lettered and give `Rejected { Unparseable }`.
    ///
    /// # Errors
    /// As [`Engine::ingest`], and [`EngineError::Store`] when the bytes could not be kept.
    pub async fn ingest_raw(
        &self,
        raw: &[u8],
        now: DateTime<Utc>,
    ) -> Result<IngestOutcome, EngineError> {
        let parsed = InboundMessage::parse(raw, &self.config.parse_limits)
            .map_err(|e| (RejectReason::Unparseable(e), true));
        self.deliver(ProviderKind::Raw, raw, parsed, now).await
    }

    /// Read a provider's webhook body with [`parse_provider`] and [`ingest`](Engine::ingest) the
    /// message, keeping the body as received in the store's raw archive when
    /// [`EngineConfig::keep_raw`](super::EngineConfig::keep_raw) is on. A body the adapter
    /// cannot read is dead-lettered and gives `Rejected { Unparseable }` (the MIME inside was
    /// broken) or `Rejected { InvalidPayload }` (the payload itself was).
    ///
    /// Check the request first (basic auth, a Mailgun signature, an SNS signature): this reads
    /// the body, it does not authenticate it. An SNS subscription or unsubscribe confirmation is
    /// refused as `InvalidPayload` without a dead letter; handle those with
    /// [`parse_ses`](crate::provider::parse_ses) before calling this.
    ///
    /// # Errors
    /// As [`Engine::ingest_raw`].
    pub async fn ingest_payload(
        &self,
        kind: ProviderKind,
        body: &[u8],
        content_type: Option<&str>,
        options: &ProviderOptions,
        now: DateTime<Utc>,
    ) -> Result<IngestOutcome, EngineError> {
        let parsed = parse_provider(kind, body, content_type, options).map_err(|e| match e {
            ProviderError::Mime { source, .. } => (RejectReason::Unparseable(source), true),
            other => {
                let bury = !matches!(other, ProviderError::NotANotification { .. });
                let reason = RejectReason::InvalidPayload {
                    provider: kind,
                    detail: other.to_string(),
                };
                (reason, bury)
            }
        });
        self.deliver(kind, body, parsed, now).await
    }

    async fn deliver(
        &self,
        kind: ProviderKind,
        bytes: &[u8],
        parsed: Result<InboundMessage, (RejectReason, bool)>,
        now: DateTime<Utc>,
    ) -> Result<IngestOutcome, EngineError> {
        match parsed {
            Ok(mut msg) => {
                if self.config.keep_raw {
                    let raw = RawInbound::new(kind.as_str(), bytes.to_vec(), now);
                    if msg.raw_sha256.is_none() && kind == ProviderKind::Raw {
                        msg.raw_sha256 = Some(raw.sha256.clone());
                    }
                    optional(self.store.keep_raw(raw).await)?;
                } else if msg.raw_sha256.is_none() && kind == ProviderKind::Raw {
                    msg.raw_sha256 = Some(hex::encode(Sha256::digest(bytes)));
                }
                self.ingest(msg, now).await
            }
            Err((reason, bury)) => {
                if bury {
                    let letter = DeadLetter {
                        raw: RawInbound::new(kind.as_str(), bytes.to_vec(), now),
                        error: cut_error(&reason.to_string()),
                    };
                    optional(self.store.dead_letter(letter).await)?;
                }
                Ok(IngestOutcome::Rejected { reason })
            }
        }
    }
}

/// A store without the optional archive is fine; any other failure is not.
fn optional(result: Result<bool, StoreError>) -> Result<(), EngineError> {
    match result {
        Ok(_) => Ok(()),
        Err(StoreError::Backend(e)) if e.is::<Unsupported>() => Ok(()),
        Err(e) => Err(EngineError::Store(e)),
    }
}
