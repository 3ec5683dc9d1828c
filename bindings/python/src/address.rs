//! Reply addresses: `AddressFormat`, `parse_address`, `find_token`, `split_addresses`,
//! `token_in_message_id`, `scan_token`, `scan_tokens`.

use pyo3::exceptions::PyTypeError;
use pyo3::prelude::*;

use replytrack::address::{self as rs, ScanOptions};
use replytrack::token::{ReplyToken, TokenError};

use crate::enums::TOKEN_SOURCE;
use crate::error::{ResultExt, config_error};
use crate::message::PyInboundMessage;
use crate::record::record;
use crate::token::{IssuedToken, VerifiedToken};

/// A token from a `str`, an `IssuedToken` or a `VerifiedToken`. Raises `TokenMalformed`.
fn token_arg(token: &Bound<'_, PyAny>) -> PyResult<ReplyToken> {
    let py = token.py();
    let text: String = if let Ok(issued) = token.cast::<IssuedToken>() {
        issued.get().token.clone()
    } else if let Ok(verified) = token.cast::<VerifiedToken>() {
        verified.get().token.clone()
    } else if let Ok(s) = token.extract::<String>() {
        s
    } else {
        return Err(PyTypeError::new_err(
            "token must be a str, an IssuedToken or a VerifiedToken",
        ));
    };
    ReplyToken::parse(text.trim())
        .map_err(TokenError::Malformed)
        .py_err(py)
}

/// How reply addresses are written for one reply domain: `{prefix}{separator}{token}@{domain}`.
#[derive(Debug)]
#[pyclass(frozen, module = "replytrack", name = "AddressFormat")]
pub struct PyAddressFormat {
    inner: rs::AddressFormat,
    prefix: String,
    separator: char,
}

#[pymethods]
impl PyAddressFormat {
    /// `reply+{token}@{domain}` by default. `separator` is one of `+`, `-`, `=`.
    #[new]
    #[pyo3(signature = (domain, prefix="reply", separator="+"))]
    fn new(py: Python<'_>, domain: &str, prefix: &str, separator: &str) -> PyResult<Self> {
        let mut chars = separator.chars();
        let sep = match (chars.next(), chars.next()) {
            (Some(c), None) => c,
            _ => {
                return Err(config_error(
                    py,
                    "bad_separator",
                    format!("separator {separator:?} is not one of '+', '-', '='"),
                    vec![("separator", separator.into())],
                ));
            }
        };
        let inner = rs::AddressFormat::new(domain)
            .and_then(|f| f.with_prefix(prefix))
            .and_then(|f| f.with_separator(sep))
            .py_err(py)?;
        Ok(Self {
            inner,
            prefix: prefix.to_ascii_lowercase(),
            separator: sep,
        })
    }

    /// The reply domain, lowercase.
    #[getter]
    fn domain(&self) -> &str {
        self.inner.domain()
    }

    /// The local-part prefix, lowercase.
    #[getter]
    fn prefix(&self) -> &str {
        &self.prefix
    }

    /// The separator between prefix and token.
    #[getter]
    fn separator(&self) -> String {
        self.separator.to_string()
    }

    /// The reply address for a token (`str`, `IssuedToken` or `VerifiedToken`).
    fn address(&self, token: &Bound<'_, PyAny>) -> PyResult<String> {
        Ok(self.inner.address(&token_arg(token)?))
    }

    /// A fresh `Message-ID` (without angle brackets) that embeds the token:
    /// `{token}.{10 random characters}@{domain}`.
    fn message_id(&self, token: &Bound<'_, PyAny>) -> PyResult<String> {
        Ok(self.inner.message_id(&token_arg(token)?))
    }

    /// The token in a header value (one address or a list) at this domain, if any.
    fn find_token(&self, value: &str) -> Option<String> {
        self.inner.find_token(value).map(|t| t.to_string())
    }

    fn __repr__(&self) -> String {
        format!(
            "AddressFormat(domain={:?}, prefix={:?}, separator={:?})",
            self.inner.domain(),
            self.prefix,
            self.separator.to_string()
        )
    }
}

record! {
    /// What `parse_address` found in one header value.
    pub struct ParsedAddress as "ParsedAddress" {
        /// The value as given.
        input: String,
        /// The first token found, canonical (shape only; the signature is not checked).
        token: Option<String>,
        /// The address it was found in.
        address: Option<String>,
        /// Whether a token of valid shape was found.
        valid_shape: bool,
    }
}

record! {
    /// One address of an address list.
    pub struct AddressItem as "AddressItem" {
        /// The display name as written (quotes removed), if any.
        display_name: Option<String>,
        /// The addr-spec, `local@domain`.
        address: String,
    }
}

record! {
    /// A token found in an inbound message, and where.
    pub struct TokenMatch as "TokenMatch" {
        /// The token, canonical (shape only; verify it with `TokenAuthority.verify`).
        token: String,
        /// `TokenSource`: envelope, mailbox_hash, delivered_to, …, references, bounced_original.
        source: Py<PyAny>,
    }
}

/// Parse a header value (one address or a list) and report the first token in it. With
/// `domain`, only addresses at that domain count.
#[pyfunction]
#[pyo3(signature = (value, domain=None))]
pub fn parse_address(value: &str, domain: Option<&str>) -> ParsedAddress {
    let p = rs::parse_address(value, domain);
    ParsedAddress {
        input: p.input,
        token: p.token.map(|t| t.to_string()),
        address: p.address,
        valid_shape: p.valid_shape,
    }
}

/// The first token in a header value (one address or a list), if any.
#[pyfunction]
#[pyo3(signature = (value, domain=None))]
pub fn find_token(value: &str, domain: Option<&str>) -> Option<String> {
    rs::find_token(value, domain).map(|t| t.to_string())
}

/// Split an address list (display names, quotes, comments, groups) into its addresses.
#[pyfunction]
pub fn split_addresses(value: &str) -> Vec<AddressItem> {
    rs::split_addresses(value)
        .into_iter()
        .map(|i| AddressItem {
            display_name: i.display_name,
            address: i.address,
        })
        .collect()
}

/// The token embedded in one of our Message-IDs (`<{token}.{random}@{domain}>`), if any.
#[pyfunction]
pub fn token_in_message_id(message_id: &str, domain: &str) -> Option<String> {
    rs::token_in_message_id(message_id, domain).map(|t| t.to_string())
}

fn token_match(py: Python<'_>, m: rs::TokenMatch) -> PyResult<TokenMatch> {
    Ok(TokenMatch {
        token: m.token,
        source: TOKEN_SOURCE.owned(py, m.source.as_str())?,
    })
}

/// The best reply token in a message for `domain`: envelope, mailbox hash, `Delivered-To` and
/// the like, `To`, `Cc`, then `References`/`In-Reply-To`, then a bounced original.
#[pyfunction]
pub fn scan_token(
    py: Python<'_>,
    message: PyRef<'_, PyInboundMessage>,
    domain: &str,
) -> PyResult<Option<TokenMatch>> {
    let opts = ScanOptions {
        domain: domain.to_string(),
    };
    rs::scan(&message.inner, &opts)
        .map(|m| token_match(py, m))
        .transpose()
}

/// Every distinct reply token in a message for `domain`, best first.
#[pyfunction]
pub fn scan_tokens(
    py: Python<'_>,
    message: PyRef<'_, PyInboundMessage>,
    domain: &str,
) -> PyResult<Vec<TokenMatch>> {
    let opts = ScanOptions {
        domain: domain.to_string(),
    };
    rs::scan_all(&message.inner, &opts)
        .into_iter()
        .map(|m| token_match(py, m))
        .collect()
}

/// Register this area's classes and functions.
pub(crate) fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_class::<PyAddressFormat>()?;
    m.add_class::<ParsedAddress>()?;
    m.add_class::<AddressItem>()?;
    m.add_class::<TokenMatch>()?;
    m.add_function(wrap_pyfunction!(parse_address, m)?)?;
    m.add_function(wrap_pyfunction!(find_token, m)?)?;
    m.add_function(wrap_pyfunction!(split_addresses, m)?)?;
    m.add_function(wrap_pyfunction!(token_in_message_id, m)?)?;
    m.add_function(wrap_pyfunction!(scan_token, m)?)?;
    m.add_function(wrap_pyfunction!(scan_tokens, m)?)?;
    Ok(())
}
