//! Webhook signatures: check that a WhatsApp webhook really comes from Meta or Twilio before
//! parsing it.
//!
//! - Meta signs the raw body with the app secret: `X-Hub-Signature-256: sha256=<hex HMAC-SHA256>`.
//! - Twilio signs the full request URL followed by every POST parameter's name and value, sorted
//!   by name, with the account's auth token: `X-Twilio-Signature: <base64 HMAC-SHA1>`.
//!
//! Secrets are [`Secret`]s (redacted in `Debug`); signatures compare in constant time.

use base64::Engine as _;
use hmac::{Hmac, Mac};
use sha1::Sha1;
use sha2::Sha256;
use subtle::ConstantTimeEq;

use super::MAX_PAYLOAD_BYTES;
use crate::provider::ProviderLimits;
use crate::provider::multipart::parse_form;
use crate::token::Secret;

/// Why a webhook signature was refused. Neither the secret nor the expected signature appear.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SignatureError {
    /// The header is empty or not in the provider's format.
    #[error("{header} is malformed: expected {expected}")]
    Malformed {
        /// The header's name.
        header: &'static str,
        /// Its expected form.
        expected: &'static str,
    },
    /// The signature does not match the payload.
    #[error(
        "{header} does not match the payload: the request is not from the provider, or was altered"
    )]
    Mismatch {
        /// The header's name.
        header: &'static str,
    },
    /// The payload is over [`MAX_PAYLOAD_BYTES`] or is not a form (Twilio).
    #[error("the signed payload could not be read: {0}")]
    Payload(String),
}

const META_HEADER: &str = "X-Hub-Signature-256";
const TWILIO_HEADER: &str = "X-Twilio-Signature";

/// Check Meta's `X-Hub-Signature-256` header against the raw body and the app secret.
///
/// # Errors
/// [`SignatureError::Malformed`] or [`SignatureError::Mismatch`].
pub fn verify_meta_signature(
    app_secret: &Secret,
    body: &[u8],
    header: &str,
) -> Result<(), SignatureError> {
    let malformed = SignatureError::Malformed {
        header: META_HEADER,
        expected: "sha256= and 64 hex digits",
    };
    let hex_part = header
        .trim()
        .strip_prefix("sha256=")
        .filter(|h| h.len() == 64)
        .ok_or_else(|| malformed.clone())?;
    let given = hex::decode(hex_part).map_err(|_| malformed)?;
    let mut mac = Hmac::<Sha256>::new_from_slice(app_secret.expose()).map_err(|_| {
        SignatureError::Mismatch {
            header: META_HEADER,
        }
    })?;
    mac.update(body);
    let expected = mac.finalize().into_bytes();
    if bool::from(expected.as_slice().ct_eq(&given)) {
        Ok(())
    } else {
        Err(SignatureError::Mismatch {
            header: META_HEADER,
        })
    }
}

/// Check Twilio's `X-Twilio-Signature` header: `url` is the full URL Twilio posted to (scheme,
/// host, path and query, as configured in Twilio), `body` the form it posted.
///
/// # Errors
/// [`SignatureError::Malformed`], [`SignatureError::Mismatch`] or [`SignatureError::Payload`].
pub fn verify_twilio_signature(
    auth_token: &Secret,
    url: &str,
    body: &[u8],
    header: &str,
) -> Result<(), SignatureError> {
    let given = base64::engine::general_purpose::STANDARD
        .decode(header.trim())
        .ok()
        .filter(|g| g.len() == 20)
        .ok_or(SignatureError::Malformed {
            header: TWILIO_HEADER,
            expected: "base64 of a 20-byte HMAC-SHA1",
        })?;
    let limits = ProviderLimits {
        max_payload_bytes: MAX_PAYLOAD_BYTES,
        ..ProviderLimits::default()
    };
    let form = parse_form(body, Some("application/x-www-form-urlencoded"), &limits)
        .map_err(|e| SignatureError::Payload(e.to_string()))?;
    let mut params: Vec<(&[u8], &[u8])> = form
        .parts
        .iter()
        .map(|p| (p.name.as_bytes(), p.data.as_ref()))
        .collect();
    params.sort();
    let mut mac = Hmac::<Sha1>::new_from_slice(auth_token.expose()).map_err(|_| {
        SignatureError::Mismatch {
            header: TWILIO_HEADER,
        }
    })?;
    mac.update(url.as_bytes());
    for (name, value) in params {
        mac.update(name);
        mac.update(value);
    }
    let expected = mac.finalize().into_bytes();
    if bool::from(expected.as_slice().ct_eq(&given)) {
        Ok(())
    } else {
        Err(SignatureError::Mismatch {
            header: TWILIO_HEADER,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn secret() -> Secret {
        Secret::from_bytes(b"0123456789abcdef0123456789abcdef").unwrap()
    }

    fn meta_sign(body: &[u8]) -> String {
        let mut mac = Hmac::<Sha256>::new_from_slice(secret().expose()).unwrap();
        mac.update(body);
        format!("sha256={}", hex::encode(mac.finalize().into_bytes()))
    }

    #[test]
    fn a_meta_payload_signed_with_the_app_secret_passes_and_an_altered_one_fails() {
        let body = br#"{"object":"whatsapp_business_account","entry":[]}"#;
        let header = meta_sign(body);
        assert_eq!(verify_meta_signature(&secret(), body, &header), Ok(()));
        let altered = br#"{"object":"whatsapp_business_account","entry":[{}]}"#;
        assert_eq!(
            verify_meta_signature(&secret(), altered, &header),
            Err(SignatureError::Mismatch {
                header: "X-Hub-Signature-256"
            })
        );
        assert!(matches!(
            verify_meta_signature(&secret(), body, "sha1=abc"),
            Err(SignatureError::Malformed { .. })
        ));
    }

    #[test]
    fn a_twilio_signature_covers_the_url_and_the_sorted_parameters() {
        let url = "https://example.com/hooks/twilio?acct=1";
        // Signed over url + "Body" + "Hi there" + "From" + "whatsapp:+33612345678", sorted by name.
        let mut mac = Hmac::<Sha1>::new_from_slice(secret().expose()).unwrap();
        mac.update(b"https://example.com/hooks/twilio?acct=1BodyHi thereFromwhatsapp:+33612345678");
        let header = base64::engine::general_purpose::STANDARD.encode(mac.finalize().into_bytes());
        let body = b"From=whatsapp%3A%2B33612345678&Body=Hi+there";
        assert_eq!(
            verify_twilio_signature(&secret(), url, body, &header),
            Ok(())
        );
        assert!(matches!(
            verify_twilio_signature(&secret(), "https://example.com/other", body, &header),
            Err(SignatureError::Mismatch { .. })
        ));
        assert!(matches!(
            verify_twilio_signature(&secret(), url, body, "not base64!"),
            Err(SignatureError::Malformed { .. })
        ));
    }

    #[test]
    fn errors_do_not_show_the_secret_or_the_expected_signature() {
        let wrong = format!("sha256={}", "0".repeat(64));
        let err = verify_meta_signature(&secret(), b"x", &wrong)
            .unwrap_err()
            .to_string();
        assert!(err.starts_with("X-Hub-Signature-256 does not match the payload"));
        assert!(!err.contains(&meta_sign(b"x")[7..]));
        assert!(!err.contains("0123456789abcdef"));
        assert_eq!(format!("{:?}", secret()), "Secret(<redacted>)");
    }
}
