//! Reply tokens: secrets, keyrings, and the authority that issues and verifies tokens.

use chrono::{DateTime, Utc};
use napi::bindgen_prelude::BufferSlice;
use napi::{Env, JsDate};
use napi_derive::napi;
use replytrack::token as core;

use crate::error::{ErrorCode, Failure, OrThrow, bad_key_id};
use crate::{instant, now_or_clock};

/// Secret key material (16 to 64 bytes). It never shows in `console.log`, `util.inspect`,
/// `JSON.stringify` or `String(secret)`; `exposeHex()` is the one way out, for storing a
/// generated secret.
#[napi]
#[derive(Debug, Clone)]
pub struct Secret {
    pub(crate) inner: core::Secret,
}

#[napi]
impl Secret {
    /// Parse a hex string (surrounding whitespace ignored). Throws `CONFIG_INVALID`
    /// (`reason`: `bad_secret_hex` or `bad_secret_length`); the message never echoes the input.
    #[napi(factory)]
    pub fn from_hex(env: Env, hex: String) -> napi::Result<Secret> {
        let inner = core::Secret::from_hex(&hex).or_throw(&env)?;
        Ok(Secret { inner })
    }

    /// Wrap raw bytes (16 to 64). Throws `CONFIG_INVALID` (`bad_secret_length`).
    #[napi(factory)]
    pub fn from_bytes(env: Env, bytes: BufferSlice<'_>) -> napi::Result<Secret> {
        let inner = core::Secret::from_bytes(&bytes).or_throw(&env)?;
        Ok(Secret { inner })
    }

    /// A fresh random 32-byte secret from the operating system.
    #[napi(factory)]
    pub fn generate() -> Secret {
        Secret {
            inner: core::Secret::generate(),
        }
    }

    /// Derive a per-purpose subkey (HMAC-SHA256 over a label, the purpose and the key id).
    /// Throws `CONFIG_INVALID` (`bad_key_id`) when `keyId` is over 15.
    #[napi]
    pub fn derive(&self, env: Env, purpose: String, key_id: u32) -> napi::Result<Secret> {
        let id = key_id_of(key_id).or_throw(&env)?;
        Ok(Secret {
            inner: self.inner.derive(&purpose, id),
        })
    }

    /// The key material as lowercase hex. Handle with care: never log it.
    #[napi]
    pub fn expose_hex(&self) -> String {
        self.inner
            .expose()
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect()
    }

    /// Length in bytes.
    #[napi(getter)]
    pub fn length(&self) -> u32 {
        u32::try_from(self.inner.expose().len()).unwrap_or(u32::MAX)
    }

    /// Constant-time comparison with another secret.
    #[napi]
    pub fn equals(&self, other: &Secret) -> bool {
        self.inner == other.inner
    }

    /// `Secret(<redacted>)`.
    #[napi]
    #[allow(clippy::inherent_to_string)]
    pub fn to_string(&self) -> String {
        "Secret(<redacted>)".to_string()
    }

    /// `JSON.stringify` shows `"<redacted>"`.
    #[napi(js_name = "toJSON")]
    pub fn to_json(&self) -> String {
        "<redacted>".to_string()
    }
}

/// The key id as the core wants it.
pub(crate) fn key_id_of(id: u32) -> Result<core::KeyId, Failure> {
    u8::try_from(id)
        .ok()
        .and_then(core::KeyId::new)
        .ok_or_else(|| bad_key_id(id))
}

/// A key of a `Keyring`, without its secret.
#[napi(object)]
#[derive(Debug, Clone)]
pub struct KeyInfo {
    /// The id written into the tokens it signs (0 to 15).
    pub id: u32,
    /// When it starts signing; its window ends when the next key starts.
    pub active_from: DateTime<Utc>,
    /// When it was retired (its tokens are refused from then on), if it was.
    pub retired_at: Option<DateTime<Utc>>,
}

/// Signing keys by id, with signing windows, rotation and retirement.
///
/// The newest key whose `activeFrom` has passed signs; each key verifies the tokens issued in
/// its window for as long as they live. A `TokenAuthority` takes a snapshot of the keyring when
/// it is built: after changing the keyring, build a new authority.
#[napi]
#[derive(Debug, Clone, Default)]
pub struct Keyring {
    pub(crate) inner: core::Keyring,
}

#[napi]
impl Keyring {
    /// An empty keyring.
    #[napi(constructor)]
    pub fn new() -> Self {
        Self::default()
    }

    /// A keyring with one key, signing since the Unix epoch.
    #[napi(factory)]
    pub fn single(env: Env, key_id: u32, secret: &Secret) -> napi::Result<Keyring> {
        let id = key_id_of(key_id).or_throw(&env)?;
        Ok(Keyring {
            inner: core::Keyring::single(id, secret.inner.clone()),
        })
    }

    /// Add a key that starts signing at `activeFrom`. Throws `CONFIG_INVALID`
    /// (`duplicate_start`, `bad_key_id`).
    #[napi]
    pub fn add(
        &mut self,
        env: Env,
        key_id: u32,
        secret: &Secret,
        active_from: JsDate<'_>,
    ) -> napi::Result<()> {
        let id = key_id_of(key_id).or_throw(&env)?;
        self.inner
            .add(id, secret.inner.clone(), instant(&active_from)?)
            .or_throw(&env)
    }

    /// Add a reply-token key derived from a master secret for `keyId`, starting at `activeFrom`.
    #[napi]
    pub fn add_derived(
        &mut self,
        env: Env,
        master: &Secret,
        key_id: u32,
        active_from: JsDate<'_>,
    ) -> napi::Result<()> {
        let id = key_id_of(key_id).or_throw(&env)?;
        self.inner
            .add_derived(&master.inner, id, instant(&active_from)?)
            .or_throw(&env)
    }

    /// Retire every key with this id at `at` (default now): tokens they signed are refused from
    /// then on, whatever their age. Throws `CONFIG_INVALID` (`no_such_key`).
    #[napi]
    pub fn retire(&mut self, env: Env, key_id: u32, at: Option<JsDate<'_>>) -> napi::Result<()> {
        let id = key_id_of(key_id).or_throw(&env)?;
        self.inner.retire(id, now_or_clock(at)?).or_throw(&env)
    }

    /// The keys, oldest first, without their secrets.
    #[napi]
    pub fn keys(&self) -> Vec<KeyInfo> {
        self.inner
            .keys()
            .iter()
            .map(|k| KeyInfo {
                id: u32::from(k.id.get()),
                active_from: k.active_from,
                retired_at: k.retired_at,
            })
            .collect()
    }

    /// The id of the key that signs at `now` (default now), or `null` when none may.
    #[napi]
    pub fn signing_key_id(&self, now: Option<JsDate<'_>>) -> napi::Result<Option<u32>> {
        Ok(self
            .inner
            .signing_key(now_or_clock(now)?)
            .map(|k| u32::from(k.id.get())))
    }
}

/// Options of a `TokenAuthority`.
#[napi(object)]
#[derive(Debug, Clone, Default)]
pub struct TokenAuthorityOptions {
    /// The reply domain; it is covered by the signature, so a token minted for one domain does not
    /// verify for another. Default `reply.example.com`.
    pub domain: Option<String>,
    /// Token lifetime in days (default 90, at most 240).
    pub ttl_days: Option<u32>,
    /// Allowance for an issuer's clock running ahead, in seconds (default 300).
    pub skew_seconds: Option<u32>,
}

/// A freshly issued token.
#[napi(object)]
#[derive(Debug, Clone)]
pub struct IssuedToken {
    /// The token (16 lowercase Crockford base32 characters).
    pub token: String,
    /// The key that signed it.
    pub key_id: u32,
    /// Start of the UTC day it was issued.
    pub issued_at: DateTime<Utc>,
    /// When it stops being accepted.
    pub expires_at: DateTime<Utc>,
}

/// A token that passed every check.
#[napi(object)]
#[derive(Debug, Clone)]
pub struct VerifiedToken {
    /// The token, canonical (lowercase, look-alikes folded).
    pub token: String,
    /// The key that signed it.
    pub key_id: u32,
    /// Start of the UTC day it was issued.
    pub issued_at: DateTime<Utc>,
    /// When it stops being accepted.
    pub expires_at: DateTime<Utc>,
}

/// Issues and verifies reply tokens for one reply domain, without storage.
///
/// `verify` refuses a token from the token alone, each refusal with its own code:
/// `TOKEN_MALFORMED`, `TOKEN_UNKNOWN_KEY`, `TOKEN_KEY_RETIRED`, `TOKEN_NOT_YET_VALID`,
/// `TOKEN_EXPIRED` (with `issuedAt`, `expiredAt`), `TOKEN_FORGED`.
#[napi]
#[derive(Debug, Clone)]
pub struct TokenAuthority {
    pub(crate) inner: core::TokenAuthority,
}

#[napi]
impl TokenAuthority {
    /// An authority over a snapshot of `keyring`. Throws `CONFIG_INVALID` (`bad_ttl`,
    /// `bad_domain`).
    #[napi(constructor)]
    pub fn new(
        env: Env,
        keyring: &Keyring,
        options: Option<TokenAuthorityOptions>,
    ) -> napi::Result<Self> {
        let options = options.unwrap_or_default();
        let mut builder = core::TokenAuthority::builder(keyring.inner.clone());
        if let Some(domain) = options.domain {
            builder = builder.domain(domain);
        }
        if let Some(days) = options.ttl_days {
            builder = builder.ttl_days(i64::from(days));
        }
        if let Some(seconds) = options.skew_seconds {
            builder = builder.skew_seconds(i64::from(seconds));
        }
        let inner = builder.build().or_throw(&env)?;
        Ok(Self { inner })
    }

    /// The reply domain, lowercase.
    #[napi(getter)]
    pub fn domain(&self) -> String {
        self.inner.domain().to_string()
    }

    /// The token lifetime in days.
    #[napi(getter)]
    pub fn ttl_days(&self) -> i64 {
        self.inner.ttl().num_days()
    }

    /// Issue a new token at `now` (default now), signed by the current key. Throws
    /// `CONFIG_INVALID` (`no_signing_key`) when no key may sign then.
    #[napi]
    pub fn issue(&self, env: Env, now: Option<JsDate<'_>>) -> napi::Result<IssuedToken> {
        let issued = self.inner.issue(now_or_clock(now)?).or_throw(&env)?;
        Ok(issued_of(issued))
    }

    /// Issue with a chosen handle (its low 28 bits), to re-create a token deterministically.
    /// Production code wants `issue`.
    #[napi]
    pub fn issue_with_handle(
        &self,
        env: Env,
        handle: u32,
        now: Option<JsDate<'_>>,
    ) -> napi::Result<IssuedToken> {
        let issued = self
            .inner
            .issue_with_handle(now_or_clock(now)?, handle)
            .or_throw(&env)?;
        Ok(issued_of(issued))
    }

    /// Verify a token's text (any case, look-alikes folded) at `now` (default now). Throws the
    /// first check that refuses it, with its code.
    #[napi]
    pub fn verify(
        &self,
        env: Env,
        token: String,
        now: Option<JsDate<'_>>,
    ) -> napi::Result<VerifiedToken> {
        let verified = self
            .inner
            .verify(&token, now_or_clock(now)?)
            .or_throw(&env)?;
        Ok(VerifiedToken {
            token: verified.token.to_string(),
            key_id: u32::from(verified.key_id.get()),
            issued_at: verified.issued_at,
            expires_at: verified.expires_at,
        })
    }

    /// Whether the token passes every check at `now` (default now), without throwing. Use `verify`
    /// when the reason matters (an expired token deserves a reply to the sender; a forged one does
    /// not).
    #[napi]
    pub fn is_valid(&self, token: String, now: Option<JsDate<'_>>) -> napi::Result<bool> {
        Ok(self.inner.verify(&token, now_or_clock(now)?).is_ok())
    }
}

fn issued_of(issued: core::IssuedToken) -> IssuedToken {
    IssuedToken {
        token: issued.token.to_string(),
        key_id: u32::from(issued.key_id.get()),
        issued_at: issued.issued_at,
        expires_at: issued.expires_at,
    }
}

/// What a token's text says before any signature check.
#[napi(object)]
#[derive(Debug, Clone)]
pub struct TokenInfo {
    /// The canonical text (lowercase, `i`/`l` → `1`, `o` → `0`).
    pub token: String,
    /// The key id it names.
    pub key_id: u32,
}

/// Parse a token's text into its canonical form and key id, without checking its signature.
/// Throws `TOKEN_MALFORMED` (`reason`: `length` or `character`).
#[napi]
pub fn parse_token(env: Env, text: String) -> napi::Result<TokenInfo> {
    let token = core::ReplyToken::parse(text.trim()).or_throw(&env)?;
    Ok(TokenInfo {
        token: token.to_string(),
        key_id: u32::from(token.key_id().get()),
    })
}

/// A token's text, canonical, or a `TOKEN_MALFORMED` failure.
pub(crate) fn token_of(text: &str) -> Result<core::ReplyToken, Failure> {
    core::ReplyToken::parse(text.trim()).map_err(Failure::from)
}

/// `CONFIG_INVALID` for a setting that is not one of the allowed values.
pub(crate) fn invalid_setting(reason: &'static str, message: String) -> Failure {
    Failure::new(ErrorCode::ConfigInvalid, message).with("reason", reason)
}
