//! The engine: `replytrack._native._Engine`, wrapped by `replytrack.engine.Engine` (blocking
//! calls) and `replytrack.engine.AsyncEngine` (asyncio).
//!
//! Every store-backed call runs on a tokio runtime the module owns (PostgreSQL needs one; SQLite
//! has its own threads). `call` blocks on it with the interpreter detached, so other Python
//! threads run meanwhile; `submit` spawns the call and hands the result to a callback on a
//! runtime thread, which the Python side forwards into its event loop with
//! `loop.call_soon_threadsafe`. Arguments and results cross as JSON (see `engine_core.rs`);
//! the Python layer turns them into typed records with aware datetimes.

use std::path::PathBuf;
use std::sync::{Arc, OnceLock};

use pyo3::exceptions::{PyRuntimeError, PyValueError};
use pyo3::prelude::*;
use serde_json::Value;

use crate::engine_core::{self as core, Core, CoreError, OpenConfig};
use crate::error::{
    ConfigError, EngineError, MalformedInput, NotFoundError, StoreError, TransitionError,
};

/// The module's tokio runtime, started on first use.
fn runtime() -> PyResult<&'static tokio::runtime::Runtime> {
    static RUNTIME: OnceLock<Result<tokio::runtime::Runtime, String>> = OnceLock::new();
    RUNTIME
        .get_or_init(|| {
            tokio::runtime::Builder::new_multi_thread()
                .worker_threads(2)
                .thread_name("replytrack-engine")
                .enable_all()
                .build()
                .map_err(|e| e.to_string())
        })
        .as_ref()
        .map_err(|e| PyRuntimeError::new_err(format!("could not start the tokio runtime: {e}")))
}

/// The Python exception for a [`CoreError`]: its class by code, `code`, and each field as an
/// attribute.
fn to_py_err(py: Python<'_>, e: CoreError) -> PyErr {
    let err = match e.code {
        "STORE_ERROR" => PyErr::new::<StoreError, _>(e.message),
        "NOT_FOUND" => PyErr::new::<NotFoundError, _>(e.message),
        "TRANSITION_ERROR" => PyErr::new::<TransitionError, _>(e.message),
        "CONFIG_ERROR" => PyErr::new::<ConfigError, _>(e.message),
        "MALFORMED_INPUT" => PyErr::new::<MalformedInput, _>(e.message),
        "INVALID_ARGUMENT" => return PyValueError::new_err(e.message),
        _ => PyErr::new::<EngineError, _>(e.message),
    };
    let value = err.value(py);
    let mut attrs = vec![("code".to_owned(), Value::String(e.code.to_owned()))];
    attrs.extend(e.fields);
    for (name, v) in attrs {
        let obj: PyResult<Py<PyAny>> = match v {
            Value::Null => Ok(py.None()),
            Value::Bool(b) => pyo3::IntoPyObjectExt::into_py_any(b, py),
            Value::Number(n) => match n.as_i64() {
                Some(i) => pyo3::IntoPyObjectExt::into_py_any(i, py),
                None => pyo3::IntoPyObjectExt::into_py_any(n.to_string(), py),
            },
            Value::String(s) => pyo3::IntoPyObjectExt::into_py_any(s, py),
            other => pyo3::IntoPyObjectExt::into_py_any(other.to_string(), py),
        };
        if let Err(e) = obj.and_then(|o| value.setattr(name.as_str(), o)) {
            return e;
        }
    }
    err
}

fn parse_args(args: &str) -> PyResult<Value> {
    serde_json::from_str(args).map_err(|e| PyValueError::new_err(format!("bad arguments: {e}")))
}

/// An engine over one store. Use `replytrack.Engine` or `replytrack.AsyncEngine`.
#[pyclass(name = "_Engine", module = "replytrack._native", frozen)]
#[derive(Debug)]
pub struct PyEngine {
    core: Arc<Core>,
}

#[pymethods]
impl PyEngine {
    /// Open the store `db` and build the engine (blocking; the interpreter is detached).
    #[staticmethod]
    #[pyo3(signature = (db, reply_domain, secret, from_address, account_name, forward_to, from_name, pg_schema, outbox_dir, forward_replies, analyze_replies, key_id, llm=None))]
    #[allow(clippy::too_many_arguments)]
    fn open(
        py: Python<'_>,
        db: String,
        reply_domain: String,
        secret: Vec<u8>,
        from_address: String,
        account_name: String,
        forward_to: Option<String>,
        from_name: Option<String>,
        pg_schema: Option<String>,
        outbox_dir: Option<PathBuf>,
        forward_replies: bool,
        analyze_replies: bool,
        key_id: u8,
        llm: Option<String>,
    ) -> PyResult<Self> {
        let llm = llm
            .as_deref()
            .map(core::LlmConfig::from_json)
            .transpose()
            .map_err(|e| to_py_err(py, e))?;
        let cfg = OpenConfig {
            llm,
            db,
            reply_domain,
            secret,
            key_id,
            from_address,
            from_name,
            account_name,
            forward_to,
            pg_schema,
            outbox_dir,
            forward_replies,
            analyze_replies,
        };
        let rt = runtime()?;
        let opened = py.detach(|| rt.block_on(Core::open(cfg)));
        match opened {
            Ok(core) => Ok(Self {
                core: Arc::new(core),
            }),
            Err(e) => Err(to_py_err(py, e)),
        }
    }

    /// `sqlite`, `sqlite-memory` or `postgres`.
    #[getter]
    fn kind(&self) -> &'static str {
        self.core.kind()
    }

    /// The store target, with any password hidden.
    #[getter]
    fn target(&self) -> String {
        self.core.target().to_owned()
    }

    /// Run operation `op` with JSON `args` and return its JSON result, blocking (detached).
    fn call(&self, py: Python<'_>, op: &str, args: &str) -> PyResult<String> {
        let args = parse_args(args)?;
        let rt = runtime()?;
        let core = Arc::clone(&self.core);
        let result = py.detach(|| rt.block_on(core.call(op, args)));
        match result {
            Ok(v) => Ok(v.to_string()),
            Err(e) => Err(to_py_err(py, e)),
        }
    }

    /// Start operation `op` on the runtime and return at once; `done(result_json, error)` is
    /// called from a runtime thread when it ends (exactly one of the two is not None).
    fn submit(&self, op: String, args: &str, done: Py<PyAny>) -> PyResult<()> {
        let args = parse_args(args)?;
        let core = Arc::clone(&self.core);
        runtime()?.spawn(async move {
            let result = core.call(&op, args).await;
            Python::attach(|py| {
                let outcome = match result {
                    Ok(v) => done.call1(py, (v.to_string(), py.None())),
                    Err(e) => {
                        let err = to_py_err(py, e);
                        done.call1(py, (py.None(), err.value(py).clone()))
                    }
                };
                if let Err(e) = outcome {
                    // The callback only schedules work on the event loop; if that failed
                    // (a closed loop), there is nobody left to tell but the interpreter.
                    e.write_unraisable(py, None);
                }
            });
        });
        Ok(())
    }

    fn __repr__(&self) -> String {
        format!("<replytrack engine on {}>", self.core.target())
    }
}

/// The offline analyzer on a reply text, as JSON.
#[pyfunction]
#[pyo3(signature = (text, subject=None, customer_name=None))]
fn _analyze(
    py: Python<'_>,
    text: &str,
    subject: Option<String>,
    customer_name: Option<String>,
) -> String {
    py.detach(|| core::analyze(text, subject, customer_name).to_string())
}

/// The analysis JSON Schema, as JSON.
#[pyfunction]
fn _analysis_json_schema() -> String {
    core::json_schema().to_string()
}

/// The LLM prompt for a reply, as JSON.
#[pyfunction]
#[pyo3(signature = (text, subject=None, customer_name=None))]
fn _build_prompt(text: &str, subject: Option<String>, customer_name: Option<String>) -> String {
    core::build_prompt(text, subject, customer_name).to_string()
}

/// A model's output parsed and repaired into an analysis, as JSON.
#[pyfunction]
fn _repair_analysis(py: Python<'_>, output: &str) -> PyResult<String> {
    core::repair(output)
        .map(|v| v.to_string())
        .map_err(|e| to_py_err(py, e))
}

/// Register the engine class and the analysis functions.
pub(crate) fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_class::<PyEngine>()?;
    m.add_function(wrap_pyfunction!(_analyze, m)?)?;
    m.add_function(wrap_pyfunction!(_analysis_json_schema, m)?)?;
    m.add_function(wrap_pyfunction!(_build_prompt, m)?)?;
    m.add_function(wrap_pyfunction!(_repair_analysis, m)?)?;
    Ok(())
}
