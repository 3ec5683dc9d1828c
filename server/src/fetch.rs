//! HTTPS implementations of [`SnsCertificates`] and [`SubscriptionHandler`] (feature `fetch`).

use std::collections::HashMap;
use std::fmt;
use std::sync::Mutex;
use std::time::Duration;

use async_trait::async_trait;
use replytrack::provider::SnsSubscription;

use crate::BoxError;
use crate::sns::{SnsCertificates, SubscriptionHandler};

/// Largest certificate accepted, in bytes (SNS certificates are about 2 KB).
pub const MAX_CERT_BYTES: usize = 64 * 1024;

/// Most certificates cached (SNS rotates them rarely; one or two per region are in use).
const MAX_CACHED: usize = 32;

/// Why a fetch failed.
#[derive(Debug, thiserror::Error)]
pub enum FetchError {
    /// The HTTP request failed.
    #[error("request to {url} failed: {source}")]
    Http {
        /// The URL.
        url: String,
        /// What failed.
        #[source]
        source: reqwest::Error,
    },
    /// The server answered with another status than 2xx.
    #[error("{url} answered {status}")]
    Status {
        /// The URL.
        url: String,
        /// The status.
        status: u16,
    },
    /// The certificate is larger than [`MAX_CERT_BYTES`].
    #[error("certificate at {url} is larger than {MAX_CERT_BYTES} bytes")]
    TooLarge {
        /// The URL.
        url: String,
    },
    /// A `SubscribeURL` that is not an https URL of the topic region's SNS host.
    #[error("SubscribeURL is not an https URL of sns.{region}.amazonaws.com: refused")]
    UntrustedSubscribeUrl {
        /// The topic's region.
        region: String,
    },
}

fn client(timeout: Duration) -> Result<reqwest::Client, BoxError> {
    Ok(reqwest::Client::builder()
        .timeout(timeout)
        .redirect(reqwest::redirect::Policy::none())
        .build()?)
}

/// Fetches SNS signing certificates over HTTPS and caches them by URL. The server checks each
/// `SigningCertURL` (https, the SNS host of the topic's region, a `.pem` path) before asking, so
/// this fetches only what it is given.
pub struct HttpCertificates {
    client: reqwest::Client,
    cache: Mutex<HashMap<String, Vec<u8>>>,
}

impl fmt::Debug for HttpCertificates {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let cached = self.cache.lock().map(|c| c.len()).unwrap_or(0);
        f.debug_struct("HttpCertificates")
            .field("cached", &cached)
            .finish()
    }
}

impl HttpCertificates {
    /// A fetcher with a 10 s timeout and no redirects.
    ///
    /// # Errors
    /// When the HTTP client cannot be built (no TLS roots).
    pub fn new() -> Result<Self, BoxError> {
        Ok(Self {
            client: client(Duration::from_secs(10))?,
            cache: Mutex::new(HashMap::new()),
        })
    }

    /// How many certificates are cached.
    pub fn cached(&self) -> usize {
        self.cache.lock().map(|c| c.len()).unwrap_or(0)
    }
}

#[async_trait]
impl SnsCertificates for HttpCertificates {
    async fn certificate(&self, url: &str) -> Result<Vec<u8>, BoxError> {
        if let Ok(cache) = self.cache.lock()
            && let Some(pem) = cache.get(url)
        {
            return Ok(pem.clone());
        }
        let http = |source| FetchError::Http {
            url: url.to_string(),
            source,
        };
        let mut response = self.client.get(url).send().await.map_err(http)?;
        if !response.status().is_success() {
            return Err(Box::new(FetchError::Status {
                url: url.to_string(),
                status: response.status().as_u16(),
            }));
        }
        let mut pem = Vec::new();
        while let Some(chunk) = response.chunk().await.map_err(http)? {
            if pem.len() + chunk.len() > MAX_CERT_BYTES {
                return Err(Box::new(FetchError::TooLarge {
                    url: url.to_string(),
                }));
            }
            pem.extend_from_slice(&chunk);
        }
        if let Ok(mut cache) = self.cache.lock() {
            if cache.len() >= MAX_CACHED {
                cache.clear();
            }
            cache.insert(url.to_string(), pem.clone());
        }
        Ok(pem)
    }
}

/// Confirms SNS subscriptions by fetching their `SubscribeURL` (after the server verified the
/// message's signature), if it is an https URL of the SNS host of the topic's region.
pub struct HttpSubscriptionConfirmer {
    client: reqwest::Client,
}

impl fmt::Debug for HttpSubscriptionConfirmer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("HttpSubscriptionConfirmer")
    }
}

impl HttpSubscriptionConfirmer {
    /// A confirmer with a 10 s timeout and no redirects.
    ///
    /// # Errors
    /// When the HTTP client cannot be built (no TLS roots).
    pub fn new() -> Result<Self, BoxError> {
        Ok(Self {
            client: client(Duration::from_secs(10))?,
        })
    }
}

/// Whether `url` is `https://sns.<region>.amazonaws.com[.cn]/…` for the region of `topic_arn`.
pub(crate) fn trusted_subscribe_url(url: &str, topic_arn: &str) -> Result<(), FetchError> {
    let mut parts = topic_arn.split(':');
    let partition = parts.nth(1).unwrap_or_default();
    let region = parts.nth(1).unwrap_or_default().to_string();
    let suffix = if partition == "aws-cn" {
        "amazonaws.com.cn"
    } else {
        "amazonaws.com"
    };
    let host = url
        .strip_prefix("https://")
        .and_then(|rest| rest.split(['/', '?', '#']).next())
        .unwrap_or_default();
    let region_ok = !region.is_empty()
        && region
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-');
    if region_ok && host.eq_ignore_ascii_case(&format!("sns.{region}.{suffix}")) {
        Ok(())
    } else {
        Err(FetchError::UntrustedSubscribeUrl { region })
    }
}

#[async_trait]
impl SubscriptionHandler for HttpSubscriptionConfirmer {
    async fn confirm(&self, subscription: &SnsSubscription) -> Result<(), BoxError> {
        let url = subscription.subscribe_url.as_str();
        trusted_subscribe_url(url, &subscription.topic_arn)?;
        let response = self
            .client
            .get(url)
            .send()
            .await
            .map_err(|source| FetchError::Http {
                url: "SubscribeURL".to_string(),
                source,
            })?;
        if !response.status().is_success() {
            return Err(Box::new(FetchError::Status {
                url: "SubscribeURL".to_string(),
                status: response.status().as_u16(),
            }));
        }
        tracing::info!(topic = %subscription.topic_arn, "SNS subscription confirmed");
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const TOPIC: &str = "arn:aws:sns:eu-west-1:123456789012:inbound";

    #[test]
    fn only_the_topic_regions_sns_host_is_trusted_for_confirmation() {
        let ok = "https://sns.eu-west-1.amazonaws.com/?Action=ConfirmSubscription&Token=x";
        assert!(trusted_subscribe_url(ok, TOPIC).is_ok());
        for bad in [
            "http://sns.eu-west-1.amazonaws.com/?Action=ConfirmSubscription",
            "https://sns.us-east-1.amazonaws.com/?Action=ConfirmSubscription",
            "https://sns.eu-west-1.amazonaws.com.evil.example/?x",
            "https://evil.example/?https://sns.eu-west-1.amazonaws.com/",
            "https://user@sns.eu-west-1.amazonaws.com/",
        ] {
            assert!(trusted_subscribe_url(bad, TOPIC).is_err(), "{bad}");
        }
        let cn = "arn:aws-cn:sns:cn-north-1:123456789012:inbound";
        assert!(trusted_subscribe_url("https://sns.cn-north-1.amazonaws.com.cn/?a", cn).is_ok());
    }
}
