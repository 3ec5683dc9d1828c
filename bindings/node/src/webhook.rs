//! Webhook authenticity: the Mailgun signature and HTTP basic auth.

use chrono::TimeDelta;
use napi::bindgen_prelude::{BufferSlice, Either};
use napi::{Env, JsDate};
use napi_derive::napi;
use replytrack::provider::basic_auth::{self, BasicAuthCredentials};
use replytrack::provider::{
    Freshness, InMemoryReplayGuard, MailgunSignature, MailgunSigningKey, ProviderLimits,
};

use crate::error::OrThrow;
use crate::{bytes_of, now_or_clock};

/// The three signature fields of a Mailgun request (form fields of a route, or the `signature`
/// object of a JSON event webhook).
#[napi(object)]
#[derive(Debug, Clone)]
pub struct MailgunSignatureFields {
    /// Unix time in seconds (a number in JSON webhooks, a string in forms).
    pub timestamp: Either<String, i64>,
    /// A random string, unique per request.
    pub token: String,
    /// Lowercase hex HMAC-SHA256 of `timestamp` + `token`.
    pub signature: String,
}

/// Options of a `MailgunVerifier`.
#[napi(object)]
#[derive(Debug, Clone, Default)]
pub struct MailgunVerifierOptions {
    /// Oldest accepted signature, in seconds before now (default 300).
    pub max_age_seconds: Option<u32>,
    /// Furthest accepted signature after now, in seconds (default 60).
    pub max_skew_seconds: Option<u32>,
    /// How many request tokens the replay guard remembers (default 100000).
    pub replay_capacity: Option<u32>,
}

/// Checks Mailgun webhook signatures: HMAC-SHA256 under the HTTP webhook signing key (constant
/// time), a freshness window, and a replay guard that remembers tokens in this process.
///
/// Throws `SIGNATURE_INVALID` (malformed or not matching), `SIGNATURE_STALE` (too old or from
/// the future) or `SIGNATURE_REPLAYED`. The key never shows in `util.inspect` or in messages.
/// Several instances of an app each remember only their own tokens.
#[napi]
#[derive(Debug)]
pub struct MailgunVerifier {
    key: MailgunSigningKey,
    freshness: Freshness,
    replay: InMemoryReplayGuard,
}

#[napi]
impl MailgunVerifier {
    /// A verifier for the signing key shown in the Mailgun control panel.
    #[napi(constructor)]
    pub fn new(signing_key: String, options: Option<MailgunVerifierOptions>) -> Self {
        let options = options.unwrap_or_default();
        let mut freshness = Freshness::default();
        if let Some(age) = options.max_age_seconds {
            freshness.max_age = TimeDelta::seconds(i64::from(age));
        }
        if let Some(skew) = options.max_skew_seconds {
            freshness.max_skew = TimeDelta::seconds(i64::from(skew));
        }
        let replay = match options.replay_capacity {
            Some(capacity) => {
                InMemoryReplayGuard::with_capacity(usize::try_from(capacity).unwrap_or(usize::MAX))
            }
            None => InMemoryReplayGuard::default(),
        };
        Self {
            key: MailgunSigningKey::new(signing_key),
            freshness,
            replay,
        }
    }

    /// Verify the three fields at `now` (default now).
    #[napi]
    pub fn verify(
        &mut self,
        env: Env,
        fields: MailgunSignatureFields,
        now: Option<JsDate<'_>>,
    ) -> napi::Result<()> {
        let timestamp = match fields.timestamp {
            Either::A(text) => text,
            Either::B(number) => number.to_string(),
        };
        let signature = MailgunSignature {
            timestamp,
            token: fields.token,
            signature: fields.signature,
        };
        self.check(&env, &signature, now)
    }

    /// Take the fields from a route's form body (`multipart/form-data` or urlencoded; pass the
    /// request's `Content-Type`) and verify them. Returns the fields. A missing field throws
    /// `MALFORMED_INPUT` (`missing_field`).
    #[napi]
    pub fn verify_form(
        &mut self,
        env: Env,
        body: Either<BufferSlice<'_>, String>,
        content_type: Option<String>,
        now: Option<JsDate<'_>>,
    ) -> napi::Result<MailgunSignatureFields> {
        let signature = MailgunSignature::from_form(
            bytes_of(&body),
            content_type.as_deref(),
            &ProviderLimits::default(),
        )
        .or_throw(&env)?;
        self.check(&env, &signature, now)?;
        Ok(fields_of(signature))
    }

    /// Take the `signature` object of a JSON event webhook body and verify it. Returns the fields.
    #[napi]
    pub fn verify_json(
        &mut self,
        env: Env,
        body: Either<BufferSlice<'_>, String>,
        now: Option<JsDate<'_>>,
    ) -> napi::Result<MailgunSignatureFields> {
        let signature =
            MailgunSignature::from_webhook_json(bytes_of(&body), &ProviderLimits::default())
                .or_throw(&env)?;
        self.check(&env, &signature, now)?;
        Ok(fields_of(signature))
    }

    /// How many request tokens the replay guard remembers now.
    #[napi(getter)]
    pub fn remembered(&self) -> u32 {
        u32::try_from(self.replay.len()).unwrap_or(u32::MAX)
    }

    /// Forget the tokens whose signatures are too old to be accepted anyway.
    #[napi]
    pub fn prune(&mut self, now: Option<JsDate<'_>>) -> napi::Result<()> {
        self.replay.prune(now_or_clock(now)?);
        Ok(())
    }

    fn check(
        &mut self,
        env: &Env,
        signature: &MailgunSignature,
        now: Option<JsDate<'_>>,
    ) -> napi::Result<()> {
        signature
            .verify(
                &self.key,
                now_or_clock(now)?,
                &self.freshness,
                &mut self.replay,
            )
            .or_throw(env)
    }
}

fn fields_of(s: MailgunSignature) -> MailgunSignatureFields {
    MailgunSignatureFields {
        timestamp: Either::A(s.timestamp),
        token: s.token,
        signature: s.signature,
    }
}

/// Check an `Authorization: Basic …` header value (pass `req.headers.authorization`) against the
/// expected user and password, in constant time. Throws `AUTH_FAILED` with `reason`: `missing`,
/// `not_basic`, `malformed` or `wrong_credentials`.
#[napi]
pub fn check_basic_auth(
    env: Env,
    authorization: Option<String>,
    user: String,
    password: String,
) -> napi::Result<()> {
    basic_auth::check(authorization.as_deref(), &user, &password).or_throw(&env)
}

/// The user and password a webhook endpoint expects (SendGrid and Postmark post to
/// `https://user:password@host/path`). Neither shows in `util.inspect`.
#[napi]
#[derive(Debug, Clone)]
pub struct BasicAuth {
    inner: BasicAuthCredentials,
}

#[napi]
impl BasicAuth {
    /// Credentials to expect.
    #[napi(constructor)]
    pub fn new(user: String, password: String) -> Self {
        Self {
            inner: BasicAuthCredentials::new(user, password),
        }
    }

    /// The expected user name.
    #[napi(getter)]
    pub fn user(&self) -> String {
        self.inner.user().to_string()
    }

    /// Check a request's `Authorization` header; throws `AUTH_FAILED` with `reason`.
    #[napi]
    pub fn check(&self, env: Env, authorization: Option<String>) -> napi::Result<()> {
        self.inner.check(authorization.as_deref()).or_throw(&env)
    }

    /// Whether a request's `Authorization` header carries these credentials.
    #[napi]
    pub fn is_authorized(&self, authorization: Option<String>) -> bool {
        self.inner.check(authorization.as_deref()).is_ok()
    }
}
