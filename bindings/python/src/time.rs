//! `datetime` in, `DateTime<Utc>` out: aware datetimes in any zone are accepted, naive ones are not.

use chrono::{DateTime, Utc};
use pyo3::exceptions::PyValueError;
use pyo3::prelude::*;
use pyo3::types::{PyDateTime, PyTzInfo};

/// A timezone-aware `datetime` as UTC. A naive one is refused: guessing its zone is how
/// tokens expire a few hours early or late.
pub(crate) fn to_utc(value: &Bound<'_, PyAny>, name: &str) -> PyResult<DateTime<Utc>> {
    let py = value.py();
    let Ok(dt) = value.cast::<PyDateTime>() else {
        return Err(PyValueError::new_err(format!(
            "`{name}` must be a timezone-aware datetime.datetime"
        )));
    };
    if dt.call_method0("utcoffset")?.is_none() {
        return Err(PyValueError::new_err(format!(
            "`{name}` is a naive datetime; pass an aware one, e.g. datetime.now(timezone.utc)"
        )));
    }
    if let Ok(t) = dt.extract::<DateTime<Utc>>() {
        return Ok(t);
    }
    let utc = PyTzInfo::utc(py)?;
    dt.call_method1("astimezone", (utc,))?
        .extract::<DateTime<Utc>>()
}

/// `now` if given, else the current time.
pub(crate) fn now_or_current(now: Option<&Bound<'_, PyAny>>) -> PyResult<DateTime<Utc>> {
    match now {
        Some(v) if !v.is_none() => to_utc(v, "now"),
        _ => Ok(Utc::now()),
    }
}
