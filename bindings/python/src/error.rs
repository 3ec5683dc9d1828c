//! The exception hierarchy, and the one place where Rust errors become Python exceptions.
//!
//! ```text
//! ReplytrackError
//! ├── TokenError            reason: str
//! │   ├── TokenMalformed    length: int | None, character: str | None
//! │   ├── TokenUnknownKey   key_id: int, issued: datetime
//! │   ├── TokenKeyRetired   key_id: int
//! │   ├── TokenNotYetValid  issued: datetime, now: datetime
//! │   ├── TokenExpired      issued, expired_at: datetime, ttl_days: int, authentic: bool
//! │   └── TokenForged
//! ├── MalformedInput        kind: str, field: str | None, limit: int | None, size: int | None
//! ├── SignatureError        reason: str (+ age_secs/max_age_secs, ahead_secs/max_skew_secs)
//! ├── AuthError             reason: str
//! ├── ConfigError           reason: str (+ the offending value where it is not secret)
//! └── EngineError           code: str (+ the Rust error's fields)
//!     ├── StoreError        kind: str
//!     ├── NotFoundError     entity: str, id: str
//!     └── TransitionError   state: str, event: str, why: str
//! ```
//!
//! Every exception's message is the Rust error's `Display`, which never contains a secret.

use chrono::{DateTime, Utc};
use pyo3::exceptions::PyException;
use pyo3::prelude::*;
use pyo3::{IntoPyObjectExt, create_exception};

use replytrack::address::AddressError;
use replytrack::message::ParseError;
use replytrack::provider::{self, ProviderError, UnknownProvider};
use replytrack::token::{
    AuthorityError, KeyringError, MalformedReason, SecretError, TokenError as RsTokenError,
};

create_exception!(
    replytrack,
    ReplytrackError,
    PyException,
    "Base class of every error raised by replytrack."
);
create_exception!(
    replytrack,
    TokenError,
    ReplytrackError,
    "A reply token was refused without any storage lookup. `reason` is a stable string: \
     malformed, unknown_key, key_retired, not_yet_valid, expired or forged."
);
create_exception!(
    replytrack,
    TokenMalformed,
    TokenError,
    "Not a token at all. `length` (wrong length) or `character` (not Crockford base32) says why."
);
create_exception!(
    replytrack,
    TokenUnknownKey,
    TokenError,
    "The token names a key id (`key_id`) that was not signing on its issue day (`issued`)."
);
create_exception!(
    replytrack,
    TokenKeyRetired,
    TokenError,
    "The token was signed by a retired key (`key_id`): its tokens are revoked."
);
create_exception!(
    replytrack,
    TokenNotYetValid,
    TokenError,
    "The token claims an issue time (`issued`) later than `now` plus the allowed skew."
);
create_exception!(
    replytrack,
    TokenExpired,
    TokenError,
    "The token is older than its TTL: `issued`, `expired_at`, `ttl_days`, and `authentic` \
     (True when its signature is genuine, so the sender can be told to use a fresh address)."
);
create_exception!(
    replytrack,
    TokenForged,
    TokenError,
    "The token's signature does not match: forged, mistyped, or minted for another domain."
);
create_exception!(
    replytrack,
    MalformedInput,
    ReplytrackError,
    "An email or webhook payload could not be read. `kind` names the problem (too_large, \
     missing_field, invalid_json, not_a_message, …); `field`, `limit` and `size` are set where known."
);
create_exception!(
    replytrack,
    SignatureError,
    ReplytrackError,
    "A webhook signature was refused. `reason`: malformed_timestamp, malformed_token, \
     malformed_signature, bad_signature, stale, from_the_future or replayed."
);
create_exception!(
    replytrack,
    AuthError,
    ReplytrackError,
    "HTTP basic auth was refused. `reason`: missing, not_basic, malformed or wrong_credentials."
);
create_exception!(
    replytrack,
    ConfigError,
    ReplytrackError,
    "A setting was refused (a bad secret, domain, TTL, key id, provider name …). `reason` names it."
);
create_exception!(
    replytrack,
    EngineError,
    ReplytrackError,
    "An engine call failed. `code` is stable (UNDELIVERABLE, UNSUBSCRIBED, CONTENTION, \
     WRONG_CUSTOMER, SNOOZE_ERROR, INVALID_ADDRESS, …); the Rust error's fields are attributes."
);
create_exception!(
    replytrack,
    StoreError,
    EngineError,
    "The store failed (code STORE_ERROR): `kind` is conflict, lease_lost, backend or open. \
     Nothing was written; a webhook should answer 5xx so the provider retries."
);
create_exception!(
    replytrack,
    NotFoundError,
    EngineError,
    "A record the call needs does not exist (code NOT_FOUND): `entity` and `id` name it."
);
create_exception!(
    replytrack,
    TransitionError,
    EngineError,
    "A status change was refused (code TRANSITION_ERROR): `state` (the current status), \
     `event` (what was asked) and `why`."
);

/// Register the exception classes on the module.
pub(crate) fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    let py = m.py();
    m.add("ReplytrackError", py.get_type::<ReplytrackError>())?;
    m.add("TokenError", py.get_type::<TokenError>())?;
    m.add("TokenMalformed", py.get_type::<TokenMalformed>())?;
    m.add("TokenUnknownKey", py.get_type::<TokenUnknownKey>())?;
    m.add("TokenKeyRetired", py.get_type::<TokenKeyRetired>())?;
    m.add("TokenNotYetValid", py.get_type::<TokenNotYetValid>())?;
    m.add("TokenExpired", py.get_type::<TokenExpired>())?;
    m.add("TokenForged", py.get_type::<TokenForged>())?;
    m.add("MalformedInput", py.get_type::<MalformedInput>())?;
    m.add("SignatureError", py.get_type::<SignatureError>())?;
    m.add("AuthError", py.get_type::<AuthError>())?;
    m.add("ConfigError", py.get_type::<ConfigError>())?;
    m.add("EngineError", py.get_type::<EngineError>())?;
    m.add("StoreError", py.get_type::<StoreError>())?;
    m.add("NotFoundError", py.get_type::<NotFoundError>())?;
    m.add("TransitionError", py.get_type::<TransitionError>())?;
    Ok(())
}

/// One attribute value for an exception.
pub(crate) enum Attr {
    Str(String),
    Int(i64),
    Bool(bool),
    Time(DateTime<Utc>),
    None,
}

impl From<&str> for Attr {
    fn from(s: &str) -> Self {
        Attr::Str(s.to_string())
    }
}

impl From<String> for Attr {
    fn from(s: String) -> Self {
        Attr::Str(s)
    }
}

impl From<usize> for Attr {
    fn from(n: usize) -> Self {
        Attr::Int(i64::try_from(n).unwrap_or(i64::MAX))
    }
}

impl From<i64> for Attr {
    fn from(n: i64) -> Self {
        Attr::Int(n)
    }
}

impl From<u8> for Attr {
    fn from(n: u8) -> Self {
        Attr::Int(i64::from(n))
    }
}

impl From<bool> for Attr {
    fn from(b: bool) -> Self {
        Attr::Bool(b)
    }
}

impl From<DateTime<Utc>> for Attr {
    fn from(t: DateTime<Utc>) -> Self {
        Attr::Time(t)
    }
}

impl<T: Into<Attr>> From<Option<T>> for Attr {
    fn from(v: Option<T>) -> Self {
        v.map_or(Attr::None, Into::into)
    }
}

/// Build an exception of type `E` with `message` and set `attrs` on it.
pub(crate) fn raise<E: pyo3::PyTypeInfo>(
    py: Python<'_>,
    message: String,
    attrs: Vec<(&'static str, Attr)>,
) -> PyErr {
    let err = PyErr::from_type(py.get_type::<E>(), message);
    let value = err.value(py);
    for (name, attr) in attrs {
        let obj = match attr {
            Attr::Str(s) => s.into_py_any(py),
            Attr::Int(n) => n.into_py_any(py),
            Attr::Bool(b) => b.into_py_any(py),
            Attr::Time(t) => t.into_py_any(py),
            Attr::None => Ok(py.None()),
        };
        match obj.and_then(|o| value.setattr(name, o)) {
            Ok(()) => {}
            Err(e) => return e,
        }
    }
    err
}

/// Conversion of a replytrack error into the matching Python exception.
pub(crate) trait IntoPyErr {
    /// The Python exception, with the error's fields as attributes.
    fn into_py_err(self, py: Python<'_>) -> PyErr;
}

/// `result.py_err(py)?` in place of `map_err`.
pub(crate) trait ResultExt<T> {
    /// Convert the error with [`IntoPyErr`].
    fn py_err(self, py: Python<'_>) -> PyResult<T>;
}

impl<T, E: IntoPyErr> ResultExt<T> for Result<T, E> {
    fn py_err(self, py: Python<'_>) -> PyResult<T> {
        self.map_err(|e| e.into_py_err(py))
    }
}

impl IntoPyErr for RsTokenError {
    fn into_py_err(self, py: Python<'_>) -> PyErr {
        let message = self.to_string();
        let reason = Attr::from(self.reason());
        match self {
            RsTokenError::Malformed(why) => {
                let (length, character) = match why {
                    MalformedReason::Length(n) => (Attr::from(n), Attr::None),
                    MalformedReason::Character(c) => (Attr::None, Attr::Str(c.to_string())),
                };
                raise::<TokenMalformed>(
                    py,
                    message,
                    vec![
                        ("reason", reason),
                        ("length", length),
                        ("character", character),
                    ],
                )
            }
            RsTokenError::UnknownKey { key_id, issued } => raise::<TokenUnknownKey>(
                py,
                message,
                vec![
                    ("reason", reason),
                    ("key_id", key_id.get().into()),
                    ("issued", issued.into()),
                ],
            ),
            RsTokenError::KeyRetired { key_id } => raise::<TokenKeyRetired>(
                py,
                message,
                vec![("reason", reason), ("key_id", key_id.get().into())],
            ),
            RsTokenError::NotYetValid { issued, now } => raise::<TokenNotYetValid>(
                py,
                message,
                vec![
                    ("reason", reason),
                    ("issued", issued.into()),
                    ("now", now.into()),
                ],
            ),
            RsTokenError::Expired {
                issued,
                expired_at,
                ttl_days,
                authentic,
            } => raise::<TokenExpired>(
                py,
                message,
                vec![
                    ("reason", reason),
                    ("issued", issued.into()),
                    ("expired_at", expired_at.into()),
                    ("ttl_days", ttl_days.into()),
                    ("authentic", authentic.into()),
                ],
            ),
            RsTokenError::Forged => raise::<TokenForged>(py, message, vec![("reason", reason)]),
        }
    }
}

impl IntoPyErr for ParseError {
    fn into_py_err(self, py: Python<'_>) -> PyErr {
        let message = self.to_string();
        let attrs = parse_error_attrs(&self, None);
        raise::<MalformedInput>(py, message, attrs)
    }
}

/// `kind`, `field`, `limit`, `size`, `offset` of a MIME parse error.
fn parse_error_attrs(e: &ParseError, field: Option<&str>) -> Vec<(&'static str, Attr)> {
    let (kind, limit, size, offset) = match e {
        ParseError::TooLarge { size, limit } => ("too_large", Some(*limit), Some(*size), None),
        ParseError::NotAMessage { .. } => ("not_a_message", None, None, None),
        ParseError::TooManyParts { count, limit } => {
            ("too_many_parts", Some(*limit), Some(*count), None)
        }
        ParseError::TooDeep {
            depth,
            limit,
            offset,
        } => ("too_deep", Some(*limit), Some(*depth), Some(*offset)),
        ParseError::TooManyHeaders { count, limit } => {
            ("too_many_headers", Some(*limit), Some(*count), None)
        }
        ParseError::LineTooLong { offset, len, limit } => {
            ("line_too_long", Some(*limit), Some(*len), Some(*offset))
        }
        ParseError::HeaderSectionTooLarge { offset, limit } => (
            "header_section_too_large",
            Some(*limit),
            None,
            Some(*offset),
        ),
    };
    vec![
        ("kind", kind.into()),
        ("field", field.map(str::to_string).into()),
        ("limit", limit.into()),
        ("size", size.into()),
        ("offset", offset.into()),
    ]
}

impl IntoPyErr for ProviderError {
    fn into_py_err(self, py: Python<'_>) -> PyErr {
        let message = self.to_string();
        if let ProviderError::Mime { field, source } = &self {
            return raise::<MalformedInput>(py, message, parse_error_attrs(source, Some(field)));
        }
        let (kind, field, limit, size): (&str, Option<String>, Option<usize>, Option<usize>) =
            match self {
                ProviderError::TooLarge { size, limit } => {
                    ("too_large", None, Some(limit), Some(size))
                }
                ProviderError::FieldTooLarge { field, size, limit } => {
                    ("field_too_large", Some(field), Some(limit), Some(size))
                }
                ProviderError::TooManyFields { limit } => {
                    ("too_many_fields", None, Some(limit), None)
                }
                ProviderError::TooManyAttachments { count, limit } => {
                    ("too_many_attachments", None, Some(limit), Some(count))
                }
                ProviderError::TooManyHeaders { field, limit } => {
                    ("too_many_headers", Some(field), Some(limit), None)
                }
                ProviderError::MissingField { field } => ("missing_field", Some(field), None, None),
                ProviderError::InvalidJson { field, .. } => ("invalid_json", field, None, None),
                ProviderError::WrongType { field, .. } => ("wrong_type", Some(field), None, None),
                ProviderError::InvalidField { field, .. } => {
                    ("invalid_field", Some(field), None, None)
                }
                ProviderError::BadCharset { field, .. } => ("bad_charset", Some(field), None, None),
                ProviderError::UnsupportedContentType { .. } => {
                    ("unsupported_content_type", None, None, None)
                }
                ProviderError::MissingBoundary => ("missing_boundary", None, None, None),
                ProviderError::BadBoundary { .. } => ("bad_boundary", None, None, None),
                ProviderError::TruncatedMultipart { .. } => {
                    ("truncated_multipart", None, None, None)
                }
                ProviderError::MalformedPart { .. } => ("malformed_part", None, None, None),
                ProviderError::NotANotification { .. } => ("not_a_notification", None, None, None),
                ProviderError::UnsupportedNotification { .. } => {
                    ("unsupported_notification", None, None, None)
                }
                ProviderError::SesWithoutContent { .. } => {
                    ("ses_without_content", None, None, None)
                }
                ProviderError::Sns(_) => ("sns", None, None, None),
                _ => ("other", None, None, None),
            };
        raise::<MalformedInput>(
            py,
            message,
            vec![
                ("kind", kind.into()),
                ("field", field.into()),
                ("limit", limit.into()),
                ("size", size.into()),
                ("offset", Attr::None),
            ],
        )
    }
}

impl IntoPyErr for provider::SignatureError {
    fn into_py_err(self, py: Python<'_>) -> PyErr {
        use provider::SignatureError as S;
        let message = self.to_string();
        let mut attrs: Vec<(&'static str, Attr)> = Vec::new();
        let reason = match self {
            S::MalformedTimestamp => "malformed_timestamp",
            S::MalformedToken => "malformed_token",
            S::MalformedSignature => "malformed_signature",
            S::BadSignature => "bad_signature",
            S::Stale {
                age_secs,
                max_age_secs,
            } => {
                attrs.push(("age_secs", age_secs.into()));
                attrs.push(("max_age_secs", max_age_secs.into()));
                "stale"
            }
            S::FromTheFuture {
                ahead_secs,
                max_skew_secs,
            } => {
                attrs.push(("ahead_secs", ahead_secs.into()));
                attrs.push(("max_skew_secs", max_skew_secs.into()));
                "from_the_future"
            }
            S::Replayed => "replayed",
            _ => "other",
        };
        attrs.insert(0, ("reason", reason.into()));
        raise::<SignatureError>(py, message, attrs)
    }
}

impl IntoPyErr for provider::basic_auth::AuthError {
    fn into_py_err(self, py: Python<'_>) -> PyErr {
        use provider::basic_auth::AuthError as A;
        let reason = match self {
            A::Missing => "missing",
            A::NotBasic => "not_basic",
            A::Malformed => "malformed",
            A::WrongCredentials => "wrong_credentials",
            _ => "other",
        };
        raise::<AuthError>(py, self.to_string(), vec![("reason", reason.into())])
    }
}

/// A [`ConfigError`] with a reason and extra attributes.
pub(crate) fn config_error(
    py: Python<'_>,
    reason: &str,
    message: String,
    mut attrs: Vec<(&'static str, Attr)>,
) -> PyErr {
    attrs.insert(0, ("reason", reason.into()));
    raise::<ConfigError>(py, message, attrs)
}

impl IntoPyErr for SecretError {
    fn into_py_err(self, py: Python<'_>) -> PyErr {
        let message = self.to_string();
        match self {
            SecretError::BadLength { len } => config_error(
                py,
                "bad_secret_length",
                message,
                vec![("length", len.into())],
            ),
            SecretError::BadHex => config_error(py, "bad_secret_hex", message, vec![]),
        }
    }
}

impl IntoPyErr for AuthorityError {
    fn into_py_err(self, py: Python<'_>) -> PyErr {
        let message = self.to_string();
        match self {
            AuthorityError::BadTtl(days) => {
                config_error(py, "bad_ttl", message, vec![("ttl_days", days.into())])
            }
            AuthorityError::BadDomain(domain) => {
                config_error(py, "bad_domain", message, vec![("domain", domain.into())])
            }
            AuthorityError::NoSigningKey(at) => {
                config_error(py, "no_signing_key", message, vec![("at", at.into())])
            }
        }
    }
}

impl IntoPyErr for KeyringError {
    fn into_py_err(self, py: Python<'_>) -> PyErr {
        let message = self.to_string();
        match self {
            KeyringError::DuplicateStart(at) => {
                config_error(py, "duplicate_start", message, vec![("at", at.into())])
            }
            KeyringError::NoSuchKey(id) => config_error(
                py,
                "no_such_key",
                message,
                vec![("key_id", id.get().into())],
            ),
        }
    }
}

impl IntoPyErr for AddressError {
    fn into_py_err(self, py: Python<'_>) -> PyErr {
        let message = self.to_string();
        match self {
            AddressError::BadDomain(d) => {
                config_error(py, "bad_domain", message, vec![("domain", d.into())])
            }
            AddressError::BadPrefix(p) => {
                config_error(py, "bad_prefix", message, vec![("prefix", p.into())])
            }
            AddressError::BadSeparator(c) => config_error(
                py,
                "bad_separator",
                message,
                vec![("separator", c.to_string().into())],
            ),
        }
    }
}

impl IntoPyErr for UnknownProvider {
    fn into_py_err(self, py: Python<'_>) -> PyErr {
        let message = self.to_string();
        config_error(
            py,
            "unknown_provider",
            message,
            vec![("provider", self.given.into())],
        )
    }
}
