//! The string enums (`replytrack.enums`, `str` + `enum.Enum` subclasses) as seen from Rust.
//!
//! The enum classes are written in Python so that they are real `enum.Enum` members that also
//! compare equal to their string values (`kind == "reply"`). Rust builds members by value.

use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::PyType;

/// One Python enum class, imported once.
pub(crate) struct PyEnum {
    name: &'static str,
    class: PyOnceLock<Py<PyType>>,
}

impl PyEnum {
    const fn new(name: &'static str) -> Self {
        Self {
            name,
            class: PyOnceLock::new(),
        }
    }

    /// The member whose value is `value`.
    pub(crate) fn member<'py>(&self, py: Python<'py>, value: &str) -> PyResult<Bound<'py, PyAny>> {
        self.class
            .import(py, "replytrack.enums", self.name)?
            .call1((value,))
    }

    /// The member as an owned reference, for storing in a record.
    pub(crate) fn owned(&self, py: Python<'_>, value: &str) -> PyResult<Py<PyAny>> {
        Ok(self.member(py, value)?.unbind())
    }
}

/// `replytrack.enums.MessageKind`.
pub(crate) static MESSAGE_KIND: PyEnum = PyEnum::new("MessageKind");
/// `replytrack.enums.Verdict`.
pub(crate) static VERDICT: PyEnum = PyEnum::new("Verdict");
/// `replytrack.enums.TokenSource`.
pub(crate) static TOKEN_SOURCE: PyEnum = PyEnum::new("TokenSource");
/// `replytrack.enums.CutKind`.
pub(crate) static CUT_KIND: PyEnum = PyEnum::new("CutKind");
/// `replytrack.enums.QuoteContainer`.
pub(crate) static QUOTE_CONTAINER: PyEnum = PyEnum::new("QuoteContainer");
/// `replytrack.enums.Provider`.
pub(crate) static PROVIDER: PyEnum = PyEnum::new("Provider");
