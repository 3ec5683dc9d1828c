//! Errors as JavaScript sees them: an `Error` with a stable `code` and the Rust error's fields.
//!
//! Every failure of this package is thrown (or rejected) as a plain `Error` whose `message` is the
//! Rust error's text and whose `code` is one of [`ErrorCode`]. Where the Rust error carries data
//! the host can act on, it is copied onto the error in camelCase (`issuedAt` and `expiredAt` as
//! `Date`s on `TOKEN_EXPIRED`, `field` on `MALFORMED_INPUT`, …), and `reason` names the precise
//! variant in snake_case (`too_many_parts`, `wrong_credentials`, …). Messages and fields never
//! contain secrets: the Rust errors are written not to echo them.
//!
//! The engine's codes (`STORE_ERROR`, `NOT_FOUND`, `TRANSITION_ERROR`, …) are the ones
//! `engine_core.rs` names, shared with the Python package; `engine.rs` builds those errors.

use chrono::{DateTime, Utc};
use napi::bindgen_prelude::{JsObjectValue, Object};
use napi::{Env, JsValue, Status};
use napi_derive::napi;
use replytrack::address::AddressError;
use replytrack::message::ParseError;
use replytrack::provider::basic_auth::AuthError;
use replytrack::provider::{ProviderError, SignatureError};
use replytrack::token::{
    AuthorityError, KeyringError, MalformedReason, SecretError, TOKEN_LEN, TokenError,
};

/// The stable `code` of every error this package throws.
#[napi(string_enum)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ErrorCode {
    /// The text is not a reply token (wrong length or a character outside Crockford base32).
    #[napi(value = "TOKEN_MALFORMED")]
    TokenMalformed,
    /// The token names a key that is not in the keyring (or was not signing on its issue day).
    /// Fields: `keyId`, `issuedAt`.
    #[napi(value = "TOKEN_UNKNOWN_KEY")]
    TokenUnknownKey,
    /// The token's key was retired: its tokens are revoked. Fields: `keyId`.
    #[napi(value = "TOKEN_KEY_RETIRED")]
    TokenKeyRetired,
    /// The token claims an issue day in the future. Fields: `issuedAt`, `now`.
    #[napi(value = "TOKEN_NOT_YET_VALID")]
    TokenNotYetValid,
    /// The token is older than its TTL. Fields: `issuedAt`, `expiredAt`, `ttlDays`, `authentic`
    /// (whether the tag is genuine: a real old token, worth telling the sender about).
    #[napi(value = "TOKEN_EXPIRED")]
    TokenExpired,
    /// The token's signature does not match: forged, mistyped, or for another reply domain.
    #[napi(value = "TOKEN_FORGED")]
    TokenForged,
    /// A payload or message could not be parsed, or broke a limit. Fields: `reason`, and where
    /// known `field`, `size`, `limit`, `part`, `offset`.
    #[napi(value = "MALFORMED_INPUT")]
    MalformedInput,
    /// A webhook signature (Mailgun, SNS) is malformed or does not match, or an SNS message names
    /// another topic or an untrusted certificate URL. Fields: `reason`.
    #[napi(value = "SIGNATURE_INVALID")]
    SignatureInvalid,
    /// A webhook signature is too old or from the future. Fields: `reason`, `ageSeconds` and
    /// `maxAgeSeconds`, or `aheadSeconds` and `maxSkewSeconds`.
    #[napi(value = "SIGNATURE_STALE")]
    SignatureStale,
    /// A webhook signature was already used: the request is a replay.
    #[napi(value = "SIGNATURE_REPLAYED")]
    SignatureReplayed,
    /// HTTP basic auth failed. Fields: `reason` (`missing`, `not_basic`, `malformed`,
    /// `wrong_credentials`).
    #[napi(value = "AUTH_FAILED")]
    AuthFailed,
    /// A setting is invalid: a secret's length, a key id over 15, a TTL, a reply domain, an
    /// address prefix… Fields: `reason`.
    #[napi(value = "CONFIG_INVALID")]
    ConfigInvalid,
    /// The engine's store failed; nothing was written. Fields: `kind` (`conflict`,
    /// `lease_lost`, `backend`, `open`).
    #[napi(value = "STORE_ERROR")]
    StoreError,
    /// A record an engine call needs does not exist. Fields: `entity`, `id`.
    #[napi(value = "NOT_FOUND")]
    NotFound,
    /// A conversation status change was refused. Fields: `state`, `event`, `why`.
    #[napi(value = "TRANSITION_ERROR")]
    TransitionError,
    /// A snooze end could not be computed.
    #[napi(value = "SNOOZE_ERROR")]
    SnoozeError,
    /// An address given to the engine is not an email address.
    #[napi(value = "INVALID_ADDRESS")]
    InvalidAddress,
    /// Every address of the customer hard-bounced. Fields: `customer`.
    #[napi(value = "UNDELIVERABLE")]
    Undeliverable,
    /// The customer unsubscribed. Fields: `customer`.
    #[napi(value = "UNSUBSCRIBED")]
    Unsubscribed,
    /// A write kept losing races with other writers. Fields: `operation`, `attempts`.
    #[napi(value = "CONTENTION")]
    Contention,
    /// A conversation named for a customer belongs to another. Fields: `conversation`,
    /// `owner`, `customer`.
    #[napi(value = "WRONG_CUSTOMER")]
    WrongCustomer,
    /// A delivery report was refused.
    #[napi(value = "DELIVERY_ERROR")]
    DeliveryError,
    /// An outgoing email could not be rendered.
    #[napi(value = "RENDER_ERROR")]
    RenderError,
    /// The engine could not issue a token.
    #[napi(value = "TOKEN_ERROR")]
    TokenError,
    /// A message is not an outgoing email. Fields: `message`.
    #[napi(value = "NOT_OUTBOUND")]
    NotOutbound,
    /// An argument of an engine call was refused (a bad id, an unknown preset…).
    #[napi(value = "INVALID_ARGUMENT")]
    InvalidArgument,
}

impl ErrorCode {
    /// The code as JavaScript sees it.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::TokenMalformed => "TOKEN_MALFORMED",
            Self::TokenUnknownKey => "TOKEN_UNKNOWN_KEY",
            Self::TokenKeyRetired => "TOKEN_KEY_RETIRED",
            Self::TokenNotYetValid => "TOKEN_NOT_YET_VALID",
            Self::TokenExpired => "TOKEN_EXPIRED",
            Self::TokenForged => "TOKEN_FORGED",
            Self::MalformedInput => "MALFORMED_INPUT",
            Self::SignatureInvalid => "SIGNATURE_INVALID",
            Self::SignatureStale => "SIGNATURE_STALE",
            Self::SignatureReplayed => "SIGNATURE_REPLAYED",
            Self::AuthFailed => "AUTH_FAILED",
            Self::ConfigInvalid => "CONFIG_INVALID",
            Self::StoreError => "STORE_ERROR",
            Self::NotFound => "NOT_FOUND",
            Self::TransitionError => "TRANSITION_ERROR",
            Self::SnoozeError => "SNOOZE_ERROR",
            Self::InvalidAddress => "INVALID_ADDRESS",
            Self::Undeliverable => "UNDELIVERABLE",
            Self::Unsubscribed => "UNSUBSCRIBED",
            Self::Contention => "CONTENTION",
            Self::WrongCustomer => "WRONG_CUSTOMER",
            Self::DeliveryError => "DELIVERY_ERROR",
            Self::RenderError => "RENDER_ERROR",
            Self::TokenError => "TOKEN_ERROR",
            Self::NotOutbound => "NOT_OUTBOUND",
            Self::InvalidArgument => "INVALID_ARGUMENT",
        }
    }
}

/// A value copied onto a thrown error.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum FieldValue {
    Text(String),
    Number(f64),
    Bool(bool),
    Date(DateTime<Utc>),
}

impl From<&str> for FieldValue {
    fn from(v: &str) -> Self {
        Self::Text(v.to_string())
    }
}

impl From<String> for FieldValue {
    fn from(v: String) -> Self {
        Self::Text(v)
    }
}

impl From<bool> for FieldValue {
    fn from(v: bool) -> Self {
        Self::Bool(v)
    }
}

impl From<DateTime<Utc>> for FieldValue {
    fn from(v: DateTime<Utc>) -> Self {
        Self::Date(v)
    }
}

macro_rules! number_field {
    ($($t:ty),*) => {$(
        impl From<$t> for FieldValue {
            #[allow(clippy::cast_precision_loss, clippy::cast_lossless)]
            fn from(v: $t) -> Self {
                Self::Number(v as f64)
            }
        }
    )*};
}
number_field!(u8, u32, i64, usize);

/// A failure on its way to JavaScript: a code, the message, and the fields to copy.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Failure {
    code: ErrorCode,
    message: String,
    fields: Vec<(&'static str, FieldValue)>,
}

impl Failure {
    /// A failure with a code and a message.
    pub(crate) fn new(code: ErrorCode, message: impl Into<String>) -> Self {
        Self {
            code,
            message: message.into(),
            fields: Vec::new(),
        }
    }

    /// Add a field (camelCase name).
    pub(crate) fn with(mut self, name: &'static str, value: impl Into<FieldValue>) -> Self {
        self.fields.push((name, value.into()));
        self
    }

    /// Add `reason`.
    fn reason(self, reason: &'static str) -> Self {
        self.with("reason", reason)
    }

    /// Build the JavaScript `Error` and wrap it so napi throws (or rejects with) that object.
    pub(crate) fn into_error(self, env: &Env) -> napi::Error {
        let fallback = format!("[{}] {}", self.code.as_str(), self.message);
        self.build(env)
            .unwrap_or_else(|_| napi::Error::new(Status::GenericFailure, fallback))
    }

    fn build(self, env: &Env) -> napi::Result<napi::Error> {
        let mut error: Object<'_> =
            env.create_error(napi::Error::new(Status::GenericFailure, self.message))?;
        error.set_named_property("code", self.code.as_str())?;
        for (name, value) in self.fields {
            match value {
                FieldValue::Text(v) => error.set_named_property(name, v)?,
                FieldValue::Number(v) => error.set_named_property(name, v)?,
                FieldValue::Bool(v) => error.set_named_property(name, v)?,
                FieldValue::Date(v) => error.set_named_property(name, v)?,
            }
        }
        Ok(napi::Error::from(error.to_unknown()))
    }
}

/// `Result<T, E>` → `napi::Result<T>`, turning `E` into a JavaScript error with a code.
pub(crate) trait OrThrow<T> {
    /// Convert the error with `env`.
    fn or_throw(self, env: &Env) -> napi::Result<T>;
}

impl<T, E: Into<Failure>> OrThrow<T> for Result<T, E> {
    fn or_throw(self, env: &Env) -> napi::Result<T> {
        self.map_err(|e| e.into().into_error(env))
    }
}

impl From<MalformedReason> for Failure {
    fn from(reason: MalformedReason) -> Self {
        let failure = Failure::new(
            ErrorCode::TokenMalformed,
            format!("token is malformed: {reason}"),
        );
        match reason {
            MalformedReason::Length(n) => failure
                .reason("length")
                .with("length", n)
                .with("expectedLength", TOKEN_LEN),
            MalformedReason::Character(_) => failure.reason("character"),
        }
    }
}

impl From<TokenError> for Failure {
    fn from(e: TokenError) -> Self {
        let message = e.to_string();
        match e {
            TokenError::Malformed(reason) => Failure::from(reason),
            TokenError::UnknownKey { key_id, issued } => {
                Failure::new(ErrorCode::TokenUnknownKey, message)
                    .with("keyId", key_id.get())
                    .with("issuedAt", issued)
            }
            TokenError::KeyRetired { key_id } => {
                Failure::new(ErrorCode::TokenKeyRetired, message).with("keyId", key_id.get())
            }
            TokenError::NotYetValid { issued, now } => {
                Failure::new(ErrorCode::TokenNotYetValid, message)
                    .with("issuedAt", issued)
                    .with("now", now)
            }
            TokenError::Expired {
                issued,
                expired_at,
                ttl_days,
                authentic,
            } => Failure::new(ErrorCode::TokenExpired, message)
                .with("issuedAt", issued)
                .with("expiredAt", expired_at)
                .with("ttlDays", ttl_days)
                .with("authentic", authentic),
            TokenError::Forged => Failure::new(ErrorCode::TokenForged, message),
        }
    }
}

impl From<AuthorityError> for Failure {
    fn from(e: AuthorityError) -> Self {
        let failure = Failure::new(ErrorCode::ConfigInvalid, e.to_string());
        match e {
            AuthorityError::BadTtl(days) => failure.reason("bad_ttl").with("ttlDays", days),
            AuthorityError::BadDomain(domain) => {
                failure.reason("bad_domain").with("domain", domain)
            }
            AuthorityError::NoSigningKey(at) => failure.reason("no_signing_key").with("at", at),
        }
    }
}

impl From<SecretError> for Failure {
    fn from(e: SecretError) -> Self {
        let failure = Failure::new(ErrorCode::ConfigInvalid, e.to_string());
        match e {
            SecretError::BadLength { len } => {
                failure.reason("bad_secret_length").with("length", len)
            }
            SecretError::BadHex => failure.reason("bad_secret_hex"),
        }
    }
}

impl From<KeyringError> for Failure {
    fn from(e: KeyringError) -> Self {
        let failure = Failure::new(ErrorCode::ConfigInvalid, e.to_string());
        match e {
            KeyringError::DuplicateStart(at) => failure.reason("duplicate_start").with("at", at),
            KeyringError::NoSuchKey(id) => failure.reason("no_such_key").with("keyId", id.get()),
        }
    }
}

impl From<AddressError> for Failure {
    fn from(e: AddressError) -> Self {
        let failure = Failure::new(ErrorCode::ConfigInvalid, e.to_string());
        match e {
            AddressError::BadDomain(d) => failure.reason("bad_domain").with("domain", d),
            AddressError::BadPrefix(p) => failure.reason("bad_prefix").with("prefix", p),
            AddressError::BadSeparator(c) => failure
                .reason("bad_separator")
                .with("separator", c.to_string()),
        }
    }
}

/// A key id outside 0..=15.
pub(crate) fn bad_key_id(id: u32) -> Failure {
    Failure::new(
        ErrorCode::ConfigInvalid,
        format!("key id {id} is over 15 (a token has 4 bits for it)"),
    )
    .reason("bad_key_id")
    .with("keyId", id)
}

impl From<ParseError> for Failure {
    fn from(e: ParseError) -> Self {
        let failure = Failure::new(ErrorCode::MalformedInput, e.to_string());
        parse_error_fields(failure, &e)
    }
}

fn parse_error_fields(failure: Failure, e: &ParseError) -> Failure {
    match *e {
        ParseError::TooLarge { size, limit } => failure
            .reason("too_large")
            .with("size", size)
            .with("limit", limit),
        ParseError::NotAMessage { .. } => failure.reason("not_a_message"),
        ParseError::TooManyParts { limit, .. } => {
            failure.reason("too_many_parts").with("limit", limit)
        }
        ParseError::TooDeep { limit, offset, .. } => failure
            .reason("too_deep")
            .with("limit", limit)
            .with("offset", offset),
        ParseError::TooManyHeaders { limit, .. } => {
            failure.reason("too_many_headers").with("limit", limit)
        }
        ParseError::LineTooLong { offset, limit, .. } => failure
            .reason("line_too_long")
            .with("limit", limit)
            .with("offset", offset),
        ParseError::HeaderSectionTooLarge { offset, limit } => failure
            .reason("header_section_too_large")
            .with("limit", limit)
            .with("offset", offset),
    }
}

impl From<ProviderError> for Failure {
    fn from(e: ProviderError) -> Self {
        let failure = Failure::new(ErrorCode::MalformedInput, e.to_string());
        match e {
            ProviderError::TooLarge { size, limit } => failure
                .reason("too_large")
                .with("size", size)
                .with("limit", limit),
            ProviderError::FieldTooLarge { field, size, limit } => failure
                .reason("field_too_large")
                .with("field", field)
                .with("size", size)
                .with("limit", limit),
            ProviderError::TooManyFields { limit } => {
                failure.reason("too_many_fields").with("limit", limit)
            }
            ProviderError::TooManyAttachments { limit, .. } => {
                failure.reason("too_many_attachments").with("limit", limit)
            }
            ProviderError::TooManyHeaders { field, limit } => failure
                .reason("too_many_headers")
                .with("field", field)
                .with("limit", limit),
            ProviderError::MissingField { field } => {
                failure.reason("missing_field").with("field", field)
            }
            ProviderError::InvalidJson { field, .. } => match field {
                Some(field) => failure.reason("invalid_json").with("field", field),
                None => failure.reason("invalid_json"),
            },
            ProviderError::WrongType { field, .. } => {
                failure.reason("wrong_type").with("field", field)
            }
            ProviderError::InvalidField { field, .. } => {
                failure.reason("invalid_field").with("field", field)
            }
            ProviderError::BadCharset { field, charset } => failure
                .reason("bad_charset")
                .with("field", field)
                .with("charset", charset),
            ProviderError::UnsupportedContentType { content_type } => failure
                .reason("unsupported_content_type")
                .with("contentType", content_type),
            ProviderError::MissingBoundary => failure.reason("missing_boundary"),
            ProviderError::BadBoundary { .. } => failure.reason("bad_boundary"),
            ProviderError::TruncatedMultipart { part } => {
                failure.reason("truncated_multipart").with("part", part)
            }
            ProviderError::MalformedPart { part, .. } => {
                failure.reason("malformed_part").with("part", part)
            }
            ProviderError::Mime { field, source } => {
                // The MIME parser's own reason (`too_many_parts`, …) with the field that held it.
                parse_error_fields(failure, &source).with("field", field)
            }
            ProviderError::NotANotification { message_type } => failure
                .reason("not_a_notification")
                .with("messageType", message_type),
            ProviderError::UnsupportedNotification { notification_type } => failure
                .reason("unsupported_notification")
                .with("notificationType", notification_type),
            ProviderError::SesWithoutContent { action } => {
                failure.reason("ses_without_content").with("action", action)
            }
            // The SNS signature check's own code and reason (see `ses.rs`).
            ProviderError::Sns(sns) => Failure::from(sns),
            _ => failure.reason("other"),
        }
    }
}

impl From<SignatureError> for Failure {
    fn from(e: SignatureError) -> Self {
        let message = e.to_string();
        match e {
            SignatureError::MalformedTimestamp => {
                Failure::new(ErrorCode::SignatureInvalid, message).reason("malformed_timestamp")
            }
            SignatureError::MalformedToken => {
                Failure::new(ErrorCode::SignatureInvalid, message).reason("malformed_token")
            }
            SignatureError::MalformedSignature => {
                Failure::new(ErrorCode::SignatureInvalid, message).reason("malformed_signature")
            }
            SignatureError::BadSignature => {
                Failure::new(ErrorCode::SignatureInvalid, message).reason("bad_signature")
            }
            SignatureError::Stale {
                age_secs,
                max_age_secs,
            } => Failure::new(ErrorCode::SignatureStale, message)
                .reason("stale")
                .with("ageSeconds", age_secs)
                .with("maxAgeSeconds", max_age_secs),
            SignatureError::FromTheFuture {
                ahead_secs,
                max_skew_secs,
            } => Failure::new(ErrorCode::SignatureStale, message)
                .reason("from_the_future")
                .with("aheadSeconds", ahead_secs)
                .with("maxSkewSeconds", max_skew_secs),
            SignatureError::Replayed => {
                Failure::new(ErrorCode::SignatureReplayed, message).reason("replayed")
            }
            _ => Failure::new(ErrorCode::SignatureInvalid, message).reason("other"),
        }
    }
}

impl From<AuthError> for Failure {
    fn from(e: AuthError) -> Self {
        let failure = Failure::new(ErrorCode::AuthFailed, e.to_string());
        match e {
            AuthError::Missing => failure.reason("missing"),
            AuthError::NotBasic => failure.reason("not_basic"),
            AuthError::Malformed => failure.reason("malformed"),
            AuthError::WrongCredentials => failure.reason("wrong_credentials"),
            _ => failure.reason("other"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn expired_token_carries_its_dates() {
        let issued = DateTime::<Utc>::from_timestamp(86_400 * 20_000, 0).unwrap_or_default();
        let expired_at = issued + chrono::Duration::days(90);
        let f = Failure::from(TokenError::Expired {
            issued,
            expired_at,
            ttl_days: 90,
            authentic: true,
        });
        assert_eq!(f.code, ErrorCode::TokenExpired);
        assert!(
            f.fields
                .contains(&("expiredAt", FieldValue::Date(expired_at)))
        );
        assert!(f.fields.contains(&("authentic", FieldValue::Bool(true))));
    }

    #[test]
    fn mime_errors_inside_a_payload_name_the_field_and_the_limit() {
        let f = Failure::from(ProviderError::Mime {
            field: "email",
            source: ParseError::TooManyParts {
                count: 11,
                limit: 10,
            },
        });
        assert_eq!(f.code, ErrorCode::MalformedInput);
        assert!(
            f.fields
                .contains(&("reason", FieldValue::from("too_many_parts")))
        );
        assert!(f.fields.contains(&("field", FieldValue::from("email"))));
        assert!(f.fields.contains(&("limit", FieldValue::Number(10.0))));
    }

    #[test]
    fn replayed_signature_has_its_own_code() {
        assert_eq!(
            Failure::from(SignatureError::Replayed).code,
            ErrorCode::SignatureReplayed
        );
    }
}
