//! Provider webhooks: `parse_email`, the Mailgun signature check and HTTP basic auth.

use std::borrow::Cow;
use std::str::FromStr;
use std::sync::{Mutex, PoisonError};

use chrono::{DateTime, TimeDelta, Utc};
use pyo3::exceptions::{PyRuntimeError, PyTypeError};
use pyo3::prelude::*;
use pyo3::types::{PyByteArray, PyBytes, PyString};

use replytrack::provider::{
    self as rs, Freshness, InMemoryReplayGuard, MailgunSignature, MailgunSigningKey, ProviderKind,
    ProviderOptions, ReplayGuard, basic_auth,
};

use crate::error::ResultExt;
use crate::message::PyInboundMessage;
use crate::time::{now_or_current, to_utc};

/// The bytes of a `bytes`, `bytearray` or `str` (UTF-8) argument, borrowed where possible.
pub(crate) fn input_bytes<'a>(data: &'a Bound<'_, PyAny>) -> PyResult<Cow<'a, [u8]>> {
    if let Ok(b) = data.cast::<PyBytes>() {
        return Ok(Cow::Borrowed(b.as_bytes()));
    }
    if let Ok(s) = data.cast::<PyString>() {
        return Ok(Cow::Borrowed(s.to_str()?.as_bytes()));
    }
    if let Ok(b) = data.cast::<PyByteArray>() {
        return Ok(Cow::Owned(b.to_vec()));
    }
    Err(PyTypeError::new_err(format!(
        "data must be bytes, bytearray or str, not {}",
        data.get_type().name()?
    )))
}

/// The adapter options for an optional size limit.
pub(crate) fn options(max_bytes: Option<usize>) -> ProviderOptions {
    let mut opts = ProviderOptions::default();
    if let Some(max) = max_bytes {
        opts.limits.max_payload_bytes = max;
        opts.limits.max_field_bytes = opts.limits.max_field_bytes.min(max);
        opts.mime.max_bytes = max;
    }
    opts
}

/// Parse an email or a provider's webhook payload into an `InboundMessage`.
///
/// `provider` is `"raw"` (RFC 5322 bytes), `"sendgrid"`, `"mailgun"`, `"postmark"` or `"ses"`
/// (a `Provider` member works too). `content_type` is the webhook request's `Content-Type`
/// header; multipart payloads (SendGrid, Mailgun) need it for the boundary. `max_bytes` lowers
/// the size limit (default 50 MiB for payloads, 25 MiB for MIME). Raises `MalformedInput`
/// naming the field or limit at fault. Runs without holding the GIL.
#[pyfunction]
#[pyo3(signature = (data, provider="raw", content_type=None, *, max_bytes=None))]
pub fn parse_email(
    py: Python<'_>,
    data: &Bound<'_, PyAny>,
    provider: &str,
    content_type: Option<&str>,
    max_bytes: Option<usize>,
) -> PyResult<PyInboundMessage> {
    let kind = ProviderKind::from_str(provider).py_err(py)?;
    let body = input_bytes(data)?;
    let opts = options(max_bytes);
    let msg = py
        .detach(|| rs::parse_provider(kind, &body, content_type, &opts))
        .py_err(py)?;
    Ok(PyInboundMessage::new(msg))
}

/// The Mailgun HTTP webhook signing key. Never shown in `repr()`.
#[derive(Debug)]
#[pyclass(frozen, module = "replytrack", name = "MailgunSigningKey")]
pub struct PyMailgunSigningKey {
    inner: MailgunSigningKey,
}

#[pymethods]
impl PyMailgunSigningKey {
    /// Wrap the key shown in the Mailgun control panel.
    #[new]
    fn new(key: &str) -> Self {
        Self {
            inner: MailgunSigningKey::new(key),
        }
    }

    fn __repr__(&self) -> &'static str {
        "MailgunSigningKey(<redacted>)"
    }

    fn __str__(&self) -> &'static str {
        "MailgunSigningKey(<redacted>)"
    }
}

/// Webhook tokens already seen, in memory and bounded, so a captured request cannot be replayed
/// against this process. Several app instances need a shared guard instead: any object with a
/// `check_and_remember(token: str, expires: datetime) -> bool` method backed by their store.
#[derive(Debug)]
#[pyclass(frozen, module = "replytrack", name = "MailgunReplayGuard")]
pub struct PyReplayGuard {
    inner: Mutex<InMemoryReplayGuard>,
}

impl PyReplayGuard {
    fn lock(&self) -> std::sync::MutexGuard<'_, InMemoryReplayGuard> {
        // A panic while holding the lock cannot leave the guard's maps inconsistent in a way
        // that matters (the worst case is a forgotten token), so a poisoned lock is used as is.
        self.inner.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

#[pymethods]
impl PyReplayGuard {
    /// A guard that remembers at most `capacity` tokens (the oldest are forgotten first).
    #[new]
    #[pyo3(signature = (capacity=100_000))]
    fn new(capacity: usize) -> Self {
        Self {
            inner: Mutex::new(InMemoryReplayGuard::with_capacity(capacity)),
        }
    }

    /// Remember `token` until `expires`; True when it was new, False for a replay.
    fn check_and_remember(&self, token: &str, expires: &Bound<'_, PyAny>) -> PyResult<bool> {
        let expires = to_utc(expires, "expires")?;
        Ok(self.lock().check_and_remember(token, expires))
    }

    /// Forget every token that expired before `now` (default now).
    #[pyo3(signature = (now=None))]
    fn prune(&self, now: Option<&Bound<'_, PyAny>>) -> PyResult<()> {
        let now = now_or_current(now)?;
        self.lock().prune(now);
        Ok(())
    }

    fn __len__(&self) -> usize {
        self.lock().len()
    }

    fn __repr__(&self) -> String {
        format!("MailgunReplayGuard(remembered={})", self.lock().len())
    }
}

/// The guard used when the caller passes none: one per process.
static PROCESS_GUARD: Mutex<Option<InMemoryReplayGuard>> = Mutex::new(None);

/// A Python object used as a replay guard; the first exception it raises is kept.
struct PyObjectGuard<'py> {
    obj: Bound<'py, PyAny>,
    error: Option<PyErr>,
}

impl ReplayGuard for PyObjectGuard<'_> {
    fn check_and_remember(&mut self, token: &str, expires: DateTime<Utc>) -> bool {
        match self
            .obj
            .call_method1("check_and_remember", (token, expires))
            .and_then(|r| r.is_truthy())
        {
            Ok(fresh) => fresh,
            Err(e) => {
                self.error.get_or_insert(e);
                false
            }
        }
    }
}

fn signing_key(key: &Bound<'_, PyAny>) -> PyResult<MailgunSigningKey> {
    if let Ok(k) = key.cast::<PyMailgunSigningKey>() {
        return Ok(k.get().inner.clone());
    }
    if let Ok(s) = key.cast::<PyString>() {
        return Ok(MailgunSigningKey::new(s.to_str()?));
    }
    Err(PyTypeError::new_err(
        "signing_key must be a str or a MailgunSigningKey",
    ))
}

/// Verify `sig` with the caller's guard, or the process-wide one.
fn verify_with_guard(
    py: Python<'_>,
    key: &MailgunSigningKey,
    sig: &MailgunSignature,
    now: DateTime<Utc>,
    freshness: &Freshness,
    guard: Option<&Bound<'_, PyAny>>,
) -> PyResult<()> {
    match guard {
        Some(g) if !g.is_none() => {
            if let Ok(native) = g.cast::<PyReplayGuard>() {
                let mut inner = native.get().lock();
                return sig.verify(key, now, freshness, &mut *inner).py_err(py);
            }
            let mut adapter = PyObjectGuard {
                obj: g.clone(),
                error: None,
            };
            let result = sig.verify(key, now, freshness, &mut adapter);
            if let Some(e) = adapter.error {
                return Err(e);
            }
            result.py_err(py)
        }
        _ => {
            let mut slot = PROCESS_GUARD
                .lock()
                .map_err(|_| PyRuntimeError::new_err("replay guard lock poisoned"))?;
            let inner = slot.get_or_insert_with(InMemoryReplayGuard::default);
            inner.prune(now);
            sig.verify(key, now, freshness, inner).py_err(py)
        }
    }
}

fn freshness(max_age_seconds: i64, max_skew_seconds: i64) -> Freshness {
    Freshness {
        max_age: TimeDelta::seconds(max_age_seconds.max(0)),
        max_skew: TimeDelta::seconds(max_skew_seconds.max(0)),
    }
}

/// Verify a Mailgun webhook signature: HMAC-SHA256 of `timestamp` + `token` under the signing
/// key (constant-time), the timestamp within `max_age_seconds` / `max_skew_seconds` of `now`,
/// and the token never seen before by `replay_guard` (default: one guard per process).
/// Raises `SignatureError` with a `reason`.
#[pyfunction]
#[pyo3(signature = (signing_key, timestamp, token, signature, *, now=None, max_age_seconds=300, max_skew_seconds=60, replay_guard=None))]
#[allow(clippy::too_many_arguments)] // Mirrors the keyword arguments a Python caller passes.
pub fn verify_mailgun_signature(
    py: Python<'_>,
    signing_key: &Bound<'_, PyAny>,
    timestamp: &Bound<'_, PyAny>,
    token: String,
    signature: String,
    now: Option<&Bound<'_, PyAny>>,
    max_age_seconds: i64,
    max_skew_seconds: i64,
    replay_guard: Option<&Bound<'_, PyAny>>,
) -> PyResult<()> {
    let key = self::signing_key(signing_key)?;
    let timestamp = timestamp.str()?.to_str()?.to_string();
    let sig = MailgunSignature {
        timestamp,
        token,
        signature,
    };
    let now = now_or_current(now)?;
    let fresh = freshness(max_age_seconds, max_skew_seconds);
    verify_with_guard(py, &key, &sig, now, &fresh, replay_guard)
}

/// Verify the signature of a Mailgun route's POST from its raw body: takes `timestamp`, `token`
/// and `signature` from the form, then checks them as `verify_mailgun_signature` does. Raises
/// `MalformedInput` when a field is missing, `SignatureError` when the check fails.
#[pyfunction]
#[pyo3(signature = (signing_key, body, content_type=None, *, now=None, max_age_seconds=300, max_skew_seconds=60, replay_guard=None))]
#[allow(clippy::too_many_arguments)] // Mirrors the keyword arguments a Python caller passes.
pub fn verify_mailgun_request(
    py: Python<'_>,
    signing_key: &Bound<'_, PyAny>,
    body: &Bound<'_, PyAny>,
    content_type: Option<&str>,
    now: Option<&Bound<'_, PyAny>>,
    max_age_seconds: i64,
    max_skew_seconds: i64,
    replay_guard: Option<&Bound<'_, PyAny>>,
) -> PyResult<()> {
    let key = self::signing_key(signing_key)?;
    let body = input_bytes(body)?;
    let limits = rs::ProviderLimits::default();
    let sig = MailgunSignature::from_form(&body, content_type, &limits).py_err(py)?;
    let now = now_or_current(now)?;
    let fresh = freshness(max_age_seconds, max_skew_seconds);
    verify_with_guard(py, &key, &sig, now, &fresh, replay_guard)
}

/// The user and password a webhook endpoint expects (SendGrid and Postmark post to
/// `https://user:password@host/path`). Compared in constant time; never shown in `repr()`.
#[derive(Debug)]
#[pyclass(frozen, module = "replytrack", name = "BasicAuth")]
pub struct PyBasicAuth {
    inner: basic_auth::BasicAuthCredentials,
}

#[pymethods]
impl PyBasicAuth {
    /// Credentials to expect.
    #[new]
    fn new(user: &str, password: &str) -> Self {
        Self {
            inner: basic_auth::BasicAuthCredentials::new(user, password),
        }
    }

    /// The expected user name.
    #[getter]
    fn user(&self) -> &str {
        self.inner.user()
    }

    /// Check a request's `Authorization` header value (None when absent). Raises `AuthError`.
    fn check(&self, py: Python<'_>, authorization: Option<&str>) -> PyResult<()> {
        self.inner.check(authorization).py_err(py)
    }

    /// Whether a request's `Authorization` header value carries these credentials.
    fn is_authorized(&self, authorization: Option<&str>) -> bool {
        self.inner.check(authorization).is_ok()
    }

    fn __repr__(&self) -> &'static str {
        "BasicAuth(<redacted>)"
    }
}

/// Check an `Authorization: Basic …` header value against a user and password, in constant
/// time. Raises `AuthError` with a `reason` (missing, not_basic, malformed, wrong_credentials).
#[pyfunction]
pub fn check_basic_auth(
    py: Python<'_>,
    authorization: Option<&str>,
    user: &str,
    password: &str,
) -> PyResult<()> {
    basic_auth::check(authorization, user, password).py_err(py)
}

/// Register this area's classes and functions.
pub(crate) fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_class::<PyMailgunSigningKey>()?;
    m.add_class::<PyReplayGuard>()?;
    m.add_class::<PyBasicAuth>()?;
    m.add_function(wrap_pyfunction!(parse_email, m)?)?;
    m.add_function(wrap_pyfunction!(verify_mailgun_signature, m)?)?;
    m.add_function(wrap_pyfunction!(verify_mailgun_request, m)?)?;
    m.add_function(wrap_pyfunction!(check_basic_auth, m)?)?;
    Ok(())
}
