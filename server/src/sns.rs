//! What the SES endpoint needs from the host: the SNS signing certificate, and someone to confirm
//! subscriptions. The library does no network I/O of its own; hosts plug in theirs.

use std::fmt;

use async_trait::async_trait;
use replytrack::provider::SnsSubscription;

use crate::BoxError;

/// Where the PEM certificate named by an SNS message's `SigningCertURL` comes from.
///
/// The server has already checked the URL ([`SnsMessage::check_signing_cert_url`]: https, the
/// SNS host of the topic's region, a `.pem` path) before it asks. Implementations fetch it over
/// HTTPS and cache it by URL (SNS rotates certificates rarely), or serve a pinned copy.
///
/// [`SnsMessage::check_signing_cert_url`]: replytrack::provider::SnsMessage::check_signing_cert_url
#[async_trait]
pub trait SnsCertificates: Send + Sync + fmt::Debug {
    /// The PEM certificate at `url`.
    ///
    /// # Errors
    /// Any error: the request is answered `503` so SNS retries.
    async fn certificate(&self, url: &str) -> Result<Vec<u8>, BoxError>;
}

/// One pinned certificate, served for every URL (tests, or a host that downloads the current
/// SNS certificate out of band).
#[derive(Clone)]
pub struct StaticCertificate(Vec<u8>);

impl StaticCertificate {
    /// Serve `pem`.
    pub fn new(pem: impl Into<Vec<u8>>) -> Self {
        Self(pem.into())
    }
}

impl fmt::Debug for StaticCertificate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "StaticCertificate({} bytes)", self.0.len())
    }
}

#[async_trait]
impl SnsCertificates for StaticCertificate {
    async fn certificate(&self, _url: &str) -> Result<Vec<u8>, BoxError> {
        Ok(self.0.clone())
    }
}

/// What to do with a verified `SubscriptionConfirmation` (fetch `subscribe_url`, or call
/// `ConfirmSubscription` with `topic_arn` and `token`).
#[async_trait]
pub trait SubscriptionHandler: Send + Sync + fmt::Debug {
    /// Confirm (or record) the subscription.
    ///
    /// # Errors
    /// Any error: the request is answered `503`.
    async fn confirm(&self, subscription: &SnsSubscription) -> Result<(), BoxError>;
}

/// Logs the confirmation at `warn` level with its `SubscribeURL`, for an operator to open (or to
/// confirm in the AWS console). The default.
#[derive(Debug, Clone, Copy, Default)]
pub struct LogSubscription;

#[async_trait]
impl SubscriptionHandler for LogSubscription {
    async fn confirm(&self, subscription: &SnsSubscription) -> Result<(), BoxError> {
        tracing::warn!(
            topic = %subscription.topic_arn,
            subscribe_url = %subscription.subscribe_url,
            "SNS subscription confirmation received: open the SubscribeURL (or confirm it in the AWS console) to start receiving SES mail"
        );
        Ok(())
    }
}
