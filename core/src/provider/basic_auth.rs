//! HTTP basic auth for webhook endpoints (SendGrid and Postmark post to
//! `https://user:password@host/path`), compared in constant time.

use std::fmt;

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use sha2::{Digest, Sha256};
use subtle::ConstantTimeEq;

/// Why a request's `Authorization` header was refused. The messages never echo credentials.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum AuthError {
    /// No `Authorization` header.
    #[error("request has no Authorization header")]
    Missing,
    /// The header uses another scheme than `Basic`.
    #[error("Authorization header does not use the Basic scheme")]
    NotBasic,
    /// The credentials are not base64 of `user:password`.
    #[error("Basic credentials are not base64 of `user:password`")]
    Malformed,
    /// The user or the password is wrong.
    #[error("Basic credentials do not match")]
    WrongCredentials,
}

/// The user and password a webhook endpoint expects. `Debug` shows neither.
#[derive(Clone)]
pub struct BasicAuthCredentials {
    user: String,
    password: String,
}

impl BasicAuthCredentials {
    /// Credentials to expect.
    pub fn new(user: impl Into<String>, password: impl Into<String>) -> Self {
        Self {
            user: user.into(),
            password: password.into(),
        }
    }

    /// The expected user name.
    pub fn user(&self) -> &str {
        &self.user
    }

    /// Check a request's `Authorization` header against these credentials.
    ///
    /// # Errors
    /// See [`check`].
    pub fn check(&self, authorization_header: Option<&str>) -> Result<(), AuthError> {
        check(authorization_header, &self.user, &self.password)
    }
}

impl fmt::Debug for BasicAuthCredentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("BasicAuthCredentials(<redacted>)")
    }
}

/// Check an `Authorization: Basic …` header value against the expected user and password.
/// Both are compared in constant time, through their SHA-256 so that lengths do not leak, and
/// both are always compared.
///
/// # Errors
/// [`AuthError::Missing`], [`AuthError::NotBasic`], [`AuthError::Malformed`] or
/// [`AuthError::WrongCredentials`].
pub fn check(
    authorization_header: Option<&str>,
    expected_user: &str,
    expected_password: &str,
) -> Result<(), AuthError> {
    let header = authorization_header
        .map(str::trim)
        .filter(|h| !h.is_empty())
        .ok_or(AuthError::Missing)?;
    let (scheme, encoded) = header.split_once(' ').ok_or(AuthError::NotBasic)?;
    if !scheme.eq_ignore_ascii_case("basic") {
        return Err(AuthError::NotBasic);
    }
    let decoded = STANDARD
        .decode(encoded.trim())
        .map_err(|_| AuthError::Malformed)?;
    let colon = decoded
        .iter()
        .position(|&b| b == b':')
        .ok_or(AuthError::Malformed)?;
    let (user, password) = (
        decoded.get(..colon).unwrap_or_default(),
        decoded.get(colon + 1..).unwrap_or_default(),
    );
    let user_ok = Sha256::digest(user).ct_eq(&Sha256::digest(expected_user.as_bytes()));
    let password_ok = Sha256::digest(password).ct_eq(&Sha256::digest(expected_password.as_bytes()));
    if bool::from(user_ok & password_ok) {
        Ok(())
    } else {
        Err(AuthError::WrongCredentials)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn header(user_pass: &str) -> String {
        format!("Basic {}", STANDARD.encode(user_pass))
    }

    #[test]
    fn right_credentials_pass_and_wrong_ones_fail() {
        let creds = BasicAuthCredentials::new("sendgrid", "s3cret:with-colon");
        assert_eq!(
            creds.check(Some(&header("sendgrid:s3cret:with-colon"))),
            Ok(())
        );
        assert_eq!(
            creds.check(Some(&header("sendgrid:wrong"))),
            Err(AuthError::WrongCredentials)
        );
        assert_eq!(
            creds.check(Some(&header("other:s3cret:with-colon"))),
            Err(AuthError::WrongCredentials)
        );
    }

    #[test]
    fn scheme_is_case_insensitive_and_other_schemes_are_refused() {
        let value = header("u:p").replace("Basic", "basic");
        assert_eq!(check(Some(&value), "u", "p"), Ok(()));
        assert_eq!(
            check(Some("Bearer abc"), "u", "p"),
            Err(AuthError::NotBasic)
        );
        assert_eq!(check(None, "u", "p"), Err(AuthError::Missing));
        assert_eq!(
            check(Some("Basic !!!"), "u", "p"),
            Err(AuthError::Malformed)
        );
        let no_colon = format!("Basic {}", STANDARD.encode("nocolon"));
        assert_eq!(check(Some(&no_colon), "u", "p"), Err(AuthError::Malformed));
    }

    #[test]
    fn debug_never_shows_the_password() {
        let creds = BasicAuthCredentials::new("user", "hunter2");
        let shown = format!("{creds:?}");
        assert!(!shown.contains("hunter2"));
        assert!(!shown.contains("user"));
    }
}
