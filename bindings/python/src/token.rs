//! Tokens: `Secret`, `Keyring`, `TokenAuthority`, `IssuedToken`, `VerifiedToken`, `KeyInfo`.

use std::sync::RwLock;

use chrono::{DateTime, Utc};
use pyo3::exceptions::PyRuntimeError;
use pyo3::prelude::*;
use pyo3::types::PyBytes;

use replytrack::token::{
    self as rs, DEFAULT_SKEW_SECONDS, DEFAULT_TTL_DAYS, KeyId, ReplyToken, TokenAuthority,
};

use crate::error::{ResultExt, config_error};

const _: () = assert!(DEFAULT_TTL_DAYS == 90 && DEFAULT_SKEW_SECONDS == 300);
use crate::record::record;
use crate::time::{now_or_current, to_utc};

/// A key id from Python: 0 to 15.
fn key_id(py: Python<'_>, id: i64) -> PyResult<KeyId> {
    u8::try_from(id).ok().and_then(KeyId::new).ok_or_else(|| {
        config_error(
            py,
            "bad_key_id",
            format!("key id {id} is outside 0..={}", KeyId::MAX),
            vec![("key_id", id.into())],
        )
    })
}

/// Secret key material (16 to 64 bytes). Never shown: `repr()` and `str()` say `<redacted>`;
/// `==` compares in constant time.
#[derive(Debug)]
#[pyclass(frozen, module = "replytrack", name = "Secret")]
pub struct PySecret {
    pub(crate) inner: rs::Secret,
}

#[pymethods]
impl PySecret {
    /// Wrap raw bytes (16 to 64 of them; 32 recommended).
    #[new]
    fn new(py: Python<'_>, key: &[u8]) -> PyResult<Self> {
        Ok(Self {
            inner: rs::Secret::from_bytes(key).py_err(py)?,
        })
    }

    /// A fresh random 32-byte secret from the operating system.
    #[staticmethod]
    fn generate() -> Self {
        Self {
            inner: rs::Secret::generate(),
        }
    }

    /// Parse a hex string (surrounding whitespace ignored). The input is never echoed in errors.
    #[staticmethod]
    fn from_hex(py: Python<'_>, hex: &str) -> PyResult<Self> {
        Ok(Self {
            inner: rs::Secret::from_hex(hex).py_err(py)?,
        })
    }

    /// Derive a per-purpose subkey (HMAC-SHA256 over the purpose and the key id).
    fn derive(&self, py: Python<'_>, purpose: &str, key_id: i64) -> PyResult<Self> {
        let id = self::key_id(py, key_id)?;
        Ok(Self {
            inner: self.inner.derive(purpose, id),
        })
    }

    /// The raw bytes, to store in a secrets manager. Never log them.
    fn expose<'py>(&self, py: Python<'py>) -> Bound<'py, PyBytes> {
        PyBytes::new(py, self.inner.expose())
    }

    /// The raw bytes as lowercase hex, to store in a secrets manager. Never log them.
    fn expose_hex(&self) -> String {
        self.inner
            .expose()
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect()
    }

    fn __repr__(&self) -> &'static str {
        "Secret(<redacted>)"
    }

    fn __str__(&self) -> &'static str {
        "Secret(<redacted>)"
    }

    fn __eq__(&self, other: PyRef<'_, Self>) -> bool {
        self.inner == other.inner
    }
}

record! {
    /// One key of a keyring, without its secret.
    pub struct KeyInfo as "KeyInfo" {
        /// The id written into the tokens it signs (0–15).
        key_id: u8,
        /// When it starts signing (UTC).
        active_from: DateTime<Utc>,
        /// When it was retired, if it was.
        retired_at: Option<DateTime<Utc>>,
    }
}

/// Signing keys by id, with signing windows, rotation and retirement.
///
/// The newest key whose `active_from` has passed signs; each key verifies the tokens issued in
/// its window. A `TokenAuthority` takes a copy: changes made afterwards do not reach it.
#[derive(Debug)]
#[pyclass(frozen, module = "replytrack", name = "Keyring")]
pub struct PyKeyring {
    pub(crate) inner: RwLock<rs::Keyring>,
}

impl PyKeyring {
    fn snapshot(&self) -> PyResult<rs::Keyring> {
        self.inner
            .read()
            .map(|k| k.clone())
            .map_err(|_| PyRuntimeError::new_err("keyring lock poisoned"))
    }

    fn write<T>(&self, f: impl FnOnce(&mut rs::Keyring) -> T) -> PyResult<T> {
        let mut guard = self
            .inner
            .write()
            .map_err(|_| PyRuntimeError::new_err("keyring lock poisoned"))?;
        Ok(f(&mut guard))
    }
}

#[pymethods]
impl PyKeyring {
    /// An empty keyring.
    #[new]
    fn new() -> Self {
        Self {
            inner: RwLock::new(rs::Keyring::new()),
        }
    }

    /// A keyring with one key, signing since the Unix epoch.
    #[staticmethod]
    #[pyo3(signature = (secret, key_id=0))]
    fn single(py: Python<'_>, secret: PyRef<'_, PySecret>, key_id: i64) -> PyResult<Self> {
        let id = self::key_id(py, key_id)?;
        Ok(Self {
            inner: RwLock::new(rs::Keyring::single(id, secret.inner.clone())),
        })
    }

    /// Add a key that starts signing at `active_from` (an aware datetime).
    fn add(
        &self,
        py: Python<'_>,
        key_id: i64,
        secret: PyRef<'_, PySecret>,
        active_from: &Bound<'_, PyAny>,
    ) -> PyResult<()> {
        let id = self::key_id(py, key_id)?;
        let at = to_utc(active_from, "active_from")?;
        let secret = secret.inner.clone();
        self.write(|k| k.add(id, secret, at))?.py_err(py)
    }

    /// Add a key derived from a master secret for reply tokens.
    fn add_derived(
        &self,
        py: Python<'_>,
        master: PyRef<'_, PySecret>,
        key_id: i64,
        active_from: &Bound<'_, PyAny>,
    ) -> PyResult<()> {
        let id = self::key_id(py, key_id)?;
        let at = to_utc(active_from, "active_from")?;
        self.write(|k| k.add_derived(&master.inner, id, at))?
            .py_err(py)
    }

    /// Retire every key with this id at `at` (default now): their tokens are refused from then on.
    #[pyo3(signature = (key_id, at=None))]
    fn retire(&self, py: Python<'_>, key_id: i64, at: Option<&Bound<'_, PyAny>>) -> PyResult<()> {
        let id = self::key_id(py, key_id)?;
        let at = match at {
            Some(v) if !v.is_none() => to_utc(v, "at")?,
            _ => Utc::now(),
        };
        self.write(|k| k.retire(id, at))?.py_err(py)
    }

    /// The keys, oldest first, without their secrets.
    #[getter]
    fn keys(&self) -> PyResult<Vec<KeyInfo>> {
        Ok(self.snapshot()?.keys().iter().map(key_info).collect())
    }

    /// The id of the key that signs at `now` (default now), if any.
    #[pyo3(signature = (now=None))]
    fn signing_key_id(&self, now: Option<&Bound<'_, PyAny>>) -> PyResult<Option<u8>> {
        let now = now_or_current(now)?;
        Ok(self.snapshot()?.signing_key(now).map(|k| k.id.get()))
    }

    fn __len__(&self) -> PyResult<usize> {
        Ok(self.snapshot()?.keys().len())
    }

    fn __repr__(&self) -> PyResult<String> {
        let ids: Vec<String> = self
            .snapshot()?
            .keys()
            .iter()
            .map(|k| k.id.get().to_string())
            .collect();
        Ok(format!("Keyring(key_ids=[{}])", ids.join(", ")))
    }
}

fn key_info(k: &rs::KeyEntry) -> KeyInfo {
    KeyInfo {
        key_id: k.id.get(),
        active_from: k.active_from,
        retired_at: k.retired_at,
    }
}

record! {
    /// A freshly issued token.
    pub struct IssuedToken as "IssuedToken" {
        /// The token, 16 lowercase Crockford base32 characters.
        token: String,
        /// The key that signed it.
        key_id: u8,
        /// Start of the UTC day it was issued.
        issued_at: DateTime<Utc>,
        /// When it stops being accepted.
        expires_at: DateTime<Utc>,
    }
    methods {
        fn __str__(&self) -> String {
            self.token.clone()
        }
    }
}

record! {
    /// A token that passed every check.
    pub struct VerifiedToken as "VerifiedToken" {
        /// The token, canonical (lowercase, look-alikes folded).
        token: String,
        /// The key that signed it.
        key_id: u8,
        /// Start of the UTC day it was issued.
        issued_at: DateTime<Utc>,
        /// When it stops being accepted.
        expires_at: DateTime<Utc>,
    }
    methods {
        fn __str__(&self) -> String {
            self.token.clone()
        }
    }
}

/// Issues and verifies reply tokens for one reply domain, without storage.
#[derive(Debug)]
#[pyclass(frozen, module = "replytrack", name = "TokenAuthority")]
pub struct PyTokenAuthority {
    inner: TokenAuthority,
}

#[pymethods]
impl PyTokenAuthority {
    /// An authority over a copy of `keyring`. `domain` is covered by the signature, so a token
    /// minted for one domain does not verify for another.
    #[new]
    // Literal defaults so that `inspect.signature` shows them; they equal DEFAULT_TTL_DAYS and
    // DEFAULT_SKEW_SECONDS (checked at compile time at the top of this file).
    #[pyo3(signature = (keyring, domain="reply.example.com", ttl_days=90, skew_seconds=300))]
    fn new(
        py: Python<'_>,
        keyring: PyRef<'_, PyKeyring>,
        domain: &str,
        ttl_days: i64,
        skew_seconds: i64,
    ) -> PyResult<Self> {
        let inner = TokenAuthority::builder(keyring.snapshot()?)
            .domain(domain)
            .ttl_days(ttl_days)
            .skew_seconds(skew_seconds)
            .build()
            .py_err(py)?;
        Ok(Self { inner })
    }

    /// The reply domain, lowercase.
    #[getter]
    fn domain(&self) -> &str {
        self.inner.domain()
    }

    /// The token lifetime in days.
    #[getter]
    fn ttl_days(&self) -> i64 {
        self.inner.ttl().num_days()
    }

    /// The keys the authority holds (a copy), without their secrets.
    #[getter]
    fn keys(&self) -> Vec<KeyInfo> {
        self.inner.keyring().keys().iter().map(key_info).collect()
    }

    /// Issue a new token at `now` (default now). `handle` (28 bits) makes the token
    /// deterministic, for tests; leave it out in production.
    #[pyo3(signature = (now=None, *, handle=None))]
    fn issue(
        &self,
        py: Python<'_>,
        now: Option<&Bound<'_, PyAny>>,
        handle: Option<u32>,
    ) -> PyResult<IssuedToken> {
        let now = now_or_current(now)?;
        let issued = match handle {
            Some(h) => self.inner.issue_with_handle(now, h),
            None => self.inner.issue(now),
        }
        .py_err(py)?;
        Ok(IssuedToken {
            token: issued.token.to_string(),
            key_id: issued.key_id.get(),
            issued_at: issued.issued_at,
            expires_at: issued.expires_at,
        })
    }

    /// Verify a token's text (any case, look-alikes folded) at `now` (default now).
    ///
    /// Raises `TokenMalformed`, `TokenUnknownKey`, `TokenKeyRetired`, `TokenNotYetValid`,
    /// `TokenExpired` or `TokenForged` (all `TokenError`), checked in that order.
    #[pyo3(signature = (token, now=None))]
    fn verify(
        &self,
        py: Python<'_>,
        token: &str,
        now: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<VerifiedToken> {
        let now = now_or_current(now)?;
        let v = self.inner.verify(token, now).py_err(py)?;
        Ok(VerifiedToken {
            token: v.token.to_string(),
            key_id: v.key_id.get(),
            issued_at: v.issued_at,
            expires_at: v.expires_at,
        })
    }

    fn __repr__(&self) -> String {
        format!(
            "TokenAuthority(domain={:?}, ttl_days={}, keys={})",
            self.inner.domain(),
            self.inner.ttl().num_days(),
            self.inner.keyring().keys().len()
        )
    }
}

/// The canonical form of a token's text (lowercase, `i`/`l` → `1`, `o` → `0`). Checks the shape
/// only, not the signature. Raises `TokenMalformed`.
#[pyfunction]
pub fn normalize_token(py: Python<'_>, token: &str) -> PyResult<String> {
    ReplyToken::parse(token.trim())
        .map(|t| t.to_string())
        .map_err(rs::TokenError::Malformed)
        .py_err(py)
}

/// Register this area's classes and functions.
pub(crate) fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_class::<PySecret>()?;
    m.add_class::<PyKeyring>()?;
    m.add_class::<KeyInfo>()?;
    m.add_class::<PyTokenAuthority>()?;
    m.add_class::<IssuedToken>()?;
    m.add_class::<VerifiedToken>()?;
    m.add_function(wrap_pyfunction!(normalize_token, m)?)?;
    m.add("DEFAULT_TTL_DAYS", DEFAULT_TTL_DAYS)?;
    m.add("MAX_TTL_DAYS", rs::MAX_TTL_DAYS)?;
    Ok(())
}
