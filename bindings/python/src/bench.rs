//! A private timing hook for `bench.py`: the same parse as `parse_email`, looped in Rust.
//!
//! It lets the benchmark compare the binding's per-call cost with the Rust call in the very
//! same compiled library, on the same input, in the same process.

use std::hint::black_box;
use std::str::FromStr;
use std::time::Instant;

use pyo3::prelude::*;

use replytrack::provider::{ProviderKind, parse_provider};

use crate::error::ResultExt;
use crate::provider::{input_bytes, options};

/// Parse `data` `iterations` times in Rust (no Python objects made) and return the seconds taken.
#[pyfunction]
#[pyo3(signature = (data, provider="raw", content_type=None, iterations=1000))]
fn _bench_parse_email(
    py: Python<'_>,
    data: &Bound<'_, PyAny>,
    provider: &str,
    content_type: Option<&str>,
    iterations: u32,
) -> PyResult<f64> {
    let kind = ProviderKind::from_str(provider).py_err(py)?;
    let body = input_bytes(data)?;
    let opts = options(None);
    let elapsed = py.detach(|| {
        let start = Instant::now();
        let mut ok = 0usize;
        for _ in 0..iterations {
            if black_box(parse_provider(kind, black_box(&body), content_type, &opts)).is_ok() {
                ok += 1;
            }
        }
        black_box(ok);
        start.elapsed()
    });
    Ok(elapsed.as_secs_f64())
}

/// Register the hook (private: its name starts with an underscore).
pub(crate) fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(_bench_parse_email, m)?)?;
    Ok(())
}
