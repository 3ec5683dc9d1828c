//! Amazon SNS HTTP(S) deliveries: the JSON envelope, and its signature (versions 1 and 2)
//! checked against a certificate the caller fetched itself.

use chrono::{DateTime, TimeDelta, Utc};
use rsa::pkcs8::DecodePublicKey;
use rsa::{Pkcs1v15Sign, RsaPublicKey};
use sha2::{Digest, Sha256};
use x509_cert::Certificate;
use x509_cert::der::{DecodePem, Encode};

use super::error::{ProviderError, clip};
use super::text::decode_base64;
use super::{ProviderLimits, check_payload_size, json};

/// What an SNS message is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SnsMessageType {
    /// A published message (for SES, the receipt notification).
    Notification,
    /// Sent once when the endpoint is subscribed: the host must confirm it.
    SubscriptionConfirmation,
    /// Sent when the endpoint is unsubscribed.
    UnsubscribeConfirmation,
}

impl SnsMessageType {
    /// The `Type` value as SNS spells it.
    pub fn as_str(self) -> &'static str {
        match self {
            SnsMessageType::Notification => "Notification",
            SnsMessageType::SubscriptionConfirmation => "SubscriptionConfirmation",
            SnsMessageType::UnsubscribeConfirmation => "UnsubscribeConfirmation",
        }
    }
}

/// An SNS message as posted to an HTTP(S) endpoint.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SnsMessage {
    /// `Type`.
    pub message_type: SnsMessageType,
    /// `MessageId` (kept across SNS retries).
    pub message_id: String,
    /// `TopicArn`.
    pub topic_arn: String,
    /// `Subject` (notifications only, optional).
    pub subject: Option<String>,
    /// `Message`: for SES, the notification JSON as a string.
    pub message: String,
    /// `Timestamp` as sent (ISO 8601).
    pub timestamp: String,
    /// `Token` (confirmations).
    pub token: Option<String>,
    /// `SubscribeURL` (confirmations).
    pub subscribe_url: Option<String>,
    /// `UnsubscribeURL` (notifications).
    pub unsubscribe_url: Option<String>,
    /// `SignatureVersion`: `1` (SHA1withRSA) or `2` (SHA256withRSA).
    pub signature_version: Option<String>,
    /// `Signature`, base64.
    pub signature: Option<String>,
    /// `SigningCertURL`.
    pub signing_cert_url: Option<String>,
}

/// A subscription confirmation (or unsubscribe confirmation): what the host needs to act on it.
/// To confirm, the host fetches `subscribe_url` (after checking the signature) or calls
/// `ConfirmSubscription` with `topic_arn` and `token`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SnsSubscription {
    /// `TopicArn`.
    pub topic_arn: String,
    /// `SubscribeURL`.
    pub subscribe_url: String,
    /// `Token`.
    pub token: String,
    /// `MessageId`.
    pub message_id: String,
}

/// What a verified SNS message must match.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SnsExpectations {
    /// The topic the host subscribed to; any other `TopicArn` is refused.
    pub topic_arn: String,
    /// The current time: the certificate must be valid at it.
    pub now: DateTime<Utc>,
    /// If set, refuse messages whose `Timestamp` is older than this (SNS retries keep the
    /// original timestamp, so leave room for its retry policy).
    pub max_age: Option<TimeDelta>,
}

impl SnsExpectations {
    /// Expect `topic_arn`, at `now`, with no age limit.
    pub fn new(topic_arn: impl Into<String>, now: DateTime<Utc>) -> Self {
        Self {
            topic_arn: topic_arn.into(),
            now,
            max_age: None,
        }
    }
}

/// Why an SNS message failed verification.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum SnsError {
    /// A field needed for the signature is absent.
    #[error("SNS message lacks `{field}`, needed to verify its signature")]
    MissingField {
        /// The field.
        field: &'static str,
    },
    /// `TopicArn` is not the expected topic.
    #[error("SNS TopicArn `{got}` is not the expected topic `{expected}`")]
    TopicMismatch {
        /// The expected topic.
        expected: String,
        /// The topic in the message (at most 256 characters of it).
        got: String,
    },
    /// The expected topic is not an SNS ARN (`arn:aws:sns:region:account:name`).
    #[error("expected topic `{topic}` is not an SNS topic ARN")]
    BadTopicArn {
        /// The ARN as configured.
        topic: String,
    },
    /// `SigningCertURL` is not an https URL of the topic region's SNS host ending in `.pem`.
    #[error("SNS SigningCertURL `{url}` is not trusted: {reason}")]
    UntrustedCertUrl {
        /// The URL (at most 256 characters of it).
        url: String,
        /// What is wrong with it.
        reason: &'static str,
    },
    /// `SignatureVersion` is neither `1` nor `2`.
    #[error("SNS SignatureVersion `{version}` is not supported (expected 1 or 2)")]
    UnsupportedSignatureVersion {
        /// The version as given (at most 16 characters of it).
        version: String,
    },
    /// The certificate could not be read.
    #[error("SNS signing certificate is unusable: {reason}")]
    BadCertificate {
        /// What the certificate parser said.
        reason: String,
    },
    /// The certificate is not valid at `now`.
    #[error("SNS signing certificate is not valid at {now}")]
    CertificateExpired {
        /// The time checked.
        now: DateTime<Utc>,
    },
    /// `Signature` is not base64.
    #[error("SNS Signature is not base64")]
    BadSignatureEncoding,
    /// The signature does not verify under the certificate's key.
    #[error("SNS signature does not match the message and certificate")]
    BadSignature,
    /// `Timestamp` is not an ISO 8601 time.
    #[error("SNS Timestamp `{timestamp}` is not an ISO 8601 time")]
    BadTimestamp {
        /// The timestamp (at most 64 characters of it).
        timestamp: String,
    },
    /// The message is older than [`SnsExpectations::max_age`].
    #[error("SNS message is too old: sent {timestamp}")]
    TooOld {
        /// When it was sent.
        timestamp: DateTime<Utc>,
    },
}

impl SnsMessage {
    /// Read an SNS envelope.
    ///
    /// # Errors
    /// [`ProviderError::InvalidJson`], [`ProviderError::MissingField`] (`Type`, `MessageId`,
    /// `TopicArn`, `Message`, `Timestamp`), [`ProviderError::WrongType`],
    /// [`ProviderError::InvalidField`] (an unknown `Type`) or [`ProviderError::TooLarge`].
    pub fn parse(body: &[u8], limits: &ProviderLimits) -> Result<Self, ProviderError> {
        check_payload_size(body, limits)?;
        let value = json::parse(body, None)?;
        let root = json::object(&value, "")?;
        Self::from_json(root)
    }

    pub(crate) fn from_json(
        root: &serde_json::Map<String, serde_json::Value>,
    ) -> Result<Self, ProviderError> {
        let kind = json::req_str(root, "Type", "")?;
        let message_type = match kind {
            "Notification" => SnsMessageType::Notification,
            "SubscriptionConfirmation" => SnsMessageType::SubscriptionConfirmation,
            "UnsubscribeConfirmation" => SnsMessageType::UnsubscribeConfirmation,
            other => {
                return Err(ProviderError::InvalidField {
                    field: "Type".to_string(),
                    reason: format!("unknown SNS message type `{}`", clip(other, 64)),
                });
            }
        };
        let s = |key: &str| json::opt_str(root, key, "").map(|v| v.map(str::to_string));
        let r = |key: &str| json::req_str(root, key, "").map(str::to_string);
        Ok(Self {
            message_type,
            message_id: r("MessageId")?,
            topic_arn: r("TopicArn")?,
            subject: s("Subject")?,
            message: r("Message")?,
            timestamp: r("Timestamp")?,
            token: s("Token")?,
            subscribe_url: s("SubscribeURL")?,
            unsubscribe_url: s("UnsubscribeURL")?,
            signature_version: s("SignatureVersion")?,
            signature: s("Signature")?,
            signing_cert_url: match s("SigningCertURL")? {
                Some(url) => Some(url),
                None => s("SigningCertUrl")?,
            },
        })
    }

    /// The subscription details, for a (un)subscribe confirmation.
    pub fn subscription(&self) -> Option<SnsSubscription> {
        if self.message_type == SnsMessageType::Notification {
            return None;
        }
        Some(SnsSubscription {
            topic_arn: self.topic_arn.clone(),
            subscribe_url: self.subscribe_url.clone()?,
            token: self.token.clone()?,
            message_id: self.message_id.clone(),
        })
    }

    /// The canonical string SNS signs: `Key\nvalue\n` for each signed key in byte order —
    /// `Message`, `MessageId`, `Subject` (if present), `Timestamp`, `TopicArn`, `Type` for
    /// notifications; `Message`, `MessageId`, `SubscribeURL`, `Timestamp`, `Token`, `TopicArn`,
    /// `Type` for confirmations.
    ///
    /// # Errors
    /// [`SnsError::MissingField`] when a confirmation lacks `SubscribeURL` or `Token`.
    pub fn string_to_sign(&self) -> Result<String, SnsError> {
        let mut out = String::with_capacity(self.message.len() + 512);
        let mut add = |key: &str, value: &str| {
            out.push_str(key);
            out.push('\n');
            out.push_str(value);
            out.push('\n');
        };
        add("Message", &self.message);
        add("MessageId", &self.message_id);
        match self.message_type {
            SnsMessageType::Notification => {
                if let Some(subject) = &self.subject {
                    add("Subject", subject);
                }
                add("Timestamp", &self.timestamp);
            }
            SnsMessageType::SubscriptionConfirmation | SnsMessageType::UnsubscribeConfirmation => {
                let url = self
                    .subscribe_url
                    .as_deref()
                    .ok_or(SnsError::MissingField {
                        field: "SubscribeURL",
                    })?;
                let token = self
                    .token
                    .as_deref()
                    .ok_or(SnsError::MissingField { field: "Token" })?;
                add("SubscribeURL", url);
                add("Timestamp", &self.timestamp);
                add("Token", token);
            }
        }
        add("TopicArn", &self.topic_arn);
        add("Type", self.message_type.as_str());
        Ok(out)
    }

    /// Check `SigningCertURL` before fetching it: `https://sns.<region>.amazonaws.com/….pem`
    /// (`.amazonaws.com.cn` in the China partition), where `<region>` is the expected topic's,
    /// with no user info, port, query or fragment. Also checks `TopicArn`.
    ///
    /// # Errors
    /// [`SnsError::TopicMismatch`], [`SnsError::BadTopicArn`], [`SnsError::MissingField`] or
    /// [`SnsError::UntrustedCertUrl`].
    pub fn check_signing_cert_url(&self, expected_topic_arn: &str) -> Result<(), SnsError> {
        if self.topic_arn != expected_topic_arn {
            return Err(SnsError::TopicMismatch {
                expected: expected_topic_arn.to_string(),
                got: clip(&self.topic_arn, 256),
            });
        }
        let (partition, region) =
            topic_region(expected_topic_arn).ok_or_else(|| SnsError::BadTopicArn {
                topic: expected_topic_arn.to_string(),
            })?;
        let url = self
            .signing_cert_url
            .as_deref()
            .ok_or(SnsError::MissingField {
                field: "SigningCertURL",
            })?;
        let untrusted = |reason| SnsError::UntrustedCertUrl {
            url: clip(url, 256),
            reason,
        };
        let rest = url
            .strip_prefix("https://")
            .ok_or_else(|| untrusted("not an https URL"))?;
        let (host, path) = rest.split_once('/').ok_or_else(|| untrusted("no path"))?;
        let suffix = if partition == "aws-cn" {
            "amazonaws.com.cn"
        } else {
            "amazonaws.com"
        };
        if !host.eq_ignore_ascii_case(&format!("sns.{region}.{suffix}")) {
            return Err(untrusted("host is not the SNS host of the topic's region"));
        }
        if path.contains(['?', '#', '\\']) || path.contains("..") {
            return Err(untrusted("path has a query, fragment or dot segment"));
        }
        if !path.ends_with(".pem") {
            return Err(untrusted("path does not end in .pem"));
        }
        Ok(())
    }

    /// Verify the message: topic and certificate URL ([`check_signing_cert_url`]), certificate
    /// validity at `expected.now`, the optional age limit, and the RSA signature (PKCS #1 v1.5
    /// with SHA-1 for version 1, SHA-256 for version 2) over [`string_to_sign`] under the public
    /// key of `cert_pem`, the PEM certificate the host fetched from `SigningCertURL` over HTTPS.
    ///
    /// [`check_signing_cert_url`]: Self::check_signing_cert_url
    /// [`string_to_sign`]: Self::string_to_sign
    ///
    /// # Errors
    /// An [`SnsError`] saying which check failed.
    pub fn verify(&self, cert_pem: &[u8], expected: &SnsExpectations) -> Result<(), SnsError> {
        self.check_signing_cert_url(&expected.topic_arn)?;
        let sent = DateTime::parse_from_rfc3339(&self.timestamp)
            .map_err(|_| SnsError::BadTimestamp {
                timestamp: clip(&self.timestamp, 64),
            })?
            .with_timezone(&Utc);
        if let Some(max_age) = expected.max_age
            && expected.now.signed_duration_since(sent) > max_age
        {
            return Err(SnsError::TooOld { timestamp: sent });
        }
        let version = self
            .signature_version
            .as_deref()
            .ok_or(SnsError::MissingField {
                field: "SignatureVersion",
            })?;
        let signature = self
            .signature
            .as_deref()
            .ok_or(SnsError::MissingField { field: "Signature" })?;
        let signature = decode_base64(signature).map_err(|_| SnsError::BadSignatureEncoding)?;
        let key = public_key(cert_pem, expected.now)?;
        let signed = self.string_to_sign()?;
        let result = match version {
            "1" => key.verify(
                Pkcs1v15Sign::new::<sha1::Sha1>(),
                &sha1::Sha1::digest(signed.as_bytes()),
                &signature,
            ),
            "2" => key.verify(
                Pkcs1v15Sign::new::<Sha256>(),
                &Sha256::digest(signed.as_bytes()),
                &signature,
            ),
            other => {
                return Err(SnsError::UnsupportedSignatureVersion {
                    version: clip(other, 16),
                });
            }
        };
        result.map_err(|_| SnsError::BadSignature)
    }
}

/// `(partition, region)` of `arn:<partition>:sns:<region>:<account>:<name>`.
fn topic_region(arn: &str) -> Option<(&str, &str)> {
    let mut parts = arn.split(':');
    let (Some("arn"), Some(partition), Some("sns"), Some(region), Some(_), Some(_)) = (
        parts.next(),
        parts.next(),
        parts.next(),
        parts.next(),
        parts.next(),
        parts.next(),
    ) else {
        return None;
    };
    let region_ok = !region.is_empty()
        && region
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-');
    (region_ok && partition.starts_with("aws")).then_some((partition, region))
}

/// The RSA public key of a PEM certificate valid at `now`.
fn public_key(cert_pem: &[u8], now: DateTime<Utc>) -> Result<RsaPublicKey, SnsError> {
    let bad = |reason: String| SnsError::BadCertificate { reason };
    let cert = Certificate::from_pem(cert_pem).map_err(|e| bad(e.to_string()))?;
    let validity = &cert.tbs_certificate.validity;
    let not_before = validity.not_before.to_unix_duration().as_secs();
    let not_after = validity.not_after.to_unix_duration().as_secs();
    let now_secs = u64::try_from(now.timestamp()).unwrap_or(0);
    if now_secs < not_before || now_secs > not_after {
        return Err(SnsError::CertificateExpired { now });
    }
    let spki = cert
        .tbs_certificate
        .subject_public_key_info
        .to_der()
        .map_err(|e| bad(e.to_string()))?;
    RsaPublicKey::from_public_key_der(&spki).map_err(|e| bad(format!("not an RSA public key: {e}")))
}
