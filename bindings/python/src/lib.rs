//! Python bindings for replytrack: the private native module `replytrack._native`.
//!
//! The Python package `replytrack` (in `python/replytrack/`) re-exports everything here under
//! its public names, with `.pyi` stubs and `py.typed`. Each area of the Rust API has its file:
//! tokens (`token.rs`), reply addresses (`address.rs`), messages and classification
//! (`message.rs`, `transport.rs`), reply extraction (`reply.rs`), provider webhooks and their
//! authenticity checks (`provider.rs`). Errors become exceptions in `error.rs`; `record.rs` holds
//! the read-only record classes, `enums.rs` the bridge to `replytrack.enums`, `time.rs` the
//! datetime rules, and `bench.rs` a private timing hook for `bench.py`. The engine over a store
//! is `engine.rs` (the Python bridge) on top of `engine_core.rs` (shared with the Node crate).
//!
//! Heavy calls (`parse_email`, `extract_reply`, `strip_text`, `strip_html`, `html_to_text`)
//! detach from the interpreter while they run, so other Python threads keep going.

mod address;
mod bench;
mod engine;
mod engine_core;
mod enums;
mod error;
mod message;
mod provider;
mod record;
mod reply;
mod time;
mod token;
mod transport;

use pyo3::prelude::*;

/// The native half of the `replytrack` package. Import `replytrack`, not this module.
#[pymodule]
fn _native(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add("__version__", env!("CARGO_PKG_VERSION"))?;
    error::register(m)?;
    token::register(m)?;
    address::register(m)?;
    message::register(m)?;
    transport::register(m)?;
    reply::register(m)?;
    provider::register(m)?;
    engine::register(m)?;
    bench::register(m)?;
    Ok(())
}
