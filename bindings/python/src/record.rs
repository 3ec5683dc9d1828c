//! Read-only record classes: a macro for frozen pyclasses with a property per field, `to_dict()`,
//! `__repr__` and `__eq__`, and the plain-data conversion `to_dict()` is built on.

use chrono::{DateTime, Utc};
use pyo3::IntoPyObjectExt;
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyList};

/// A record class: its fields as a dict of plain Python data, and its repr.
pub(crate) trait Record {
    /// The fields as plain data (nested records become dicts).
    fn record_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>>;
    /// `Name(field=value, …)`.
    fn record_repr(&self, py: Python<'_>) -> PyResult<String>;
}

/// A value as plain Python data: records become dicts, lists become lists of plain data.
pub(crate) trait ToPlain {
    /// The plain value.
    fn to_plain<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>>;
}

macro_rules! plain_by_value {
    ($($t:ty),*) => {$(
        impl ToPlain for $t {
            fn to_plain<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
                self.clone().into_bound_py_any(py)
            }
        }
    )*};
}

plain_by_value!(String, bool, i64, u64, u8, f64, DateTime<Utc>, Py<PyAny>);

impl<T: ToPlain> ToPlain for Option<T> {
    fn to_plain<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        match self {
            Some(v) => v.to_plain(py),
            None => Ok(py.None().into_bound(py)),
        }
    }
}

impl<T: ToPlain> ToPlain for Vec<T> {
    fn to_plain<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        let items = self
            .iter()
            .map(|v| v.to_plain(py))
            .collect::<PyResult<Vec<_>>>()?;
        Ok(PyList::new(py, items)?.into_any())
    }
}

impl<T> ToPlain for Py<T>
where
    T: Record + pyo3::PyClass<Frozen = pyo3::pyclass::boolean_struct::True> + Sync,
{
    fn to_plain<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        Ok(self.get().record_dict(py)?.into_any())
    }
}

/// Define a frozen record class. Fields are read-only properties; `to_dict()`, `__repr__` and
/// `__eq__` come with it; extra methods go in an optional `methods { … }` block.
macro_rules! record {
    (
        $(#[$meta:meta])*
        pub struct $name:ident as $pyname:literal {
            $( $(#[$fmeta:meta])* $field:ident : $ty:ty ),* $(,)?
        }
        $( methods { $($methods:tt)* } )?
    ) => {
        $(#[$meta])*
        #[derive(Debug)]
        #[pyo3::pyclass(frozen, module = "replytrack", name = $pyname)]
        pub struct $name {
            $( $(#[$fmeta])* #[pyo3(get)] pub $field: $ty, )*
        }

        impl $crate::record::Record for $name {
            fn record_dict<'py>(
                &self,
                py: pyo3::Python<'py>,
            ) -> pyo3::PyResult<pyo3::Bound<'py, pyo3::types::PyDict>> {
                use pyo3::types::PyDictMethods as _;
                let d = pyo3::types::PyDict::new(py);
                $( d.set_item(
                    stringify!($field),
                    $crate::record::ToPlain::to_plain(&self.$field, py)?,
                )?; )*
                Ok(d)
            }

            fn record_repr(&self, py: pyo3::Python<'_>) -> pyo3::PyResult<String> {
                use pyo3::types::PyAnyMethods as _;
                use pyo3::IntoPyObjectExt as _;
                let parts: Vec<String> = vec![$(
                    format!(
                        "{}={}",
                        stringify!($field),
                        (&self.$field).into_bound_py_any(py)?.repr()?,
                    ),
                )*];
                Ok(format!("{}({})", $pyname, parts.join(", ")))
            }
        }

        impl $crate::record::ToPlain for $name {
            fn to_plain<'py>(
                &self,
                py: pyo3::Python<'py>,
            ) -> pyo3::PyResult<pyo3::Bound<'py, pyo3::PyAny>> {
                Ok($crate::record::Record::record_dict(self, py)?.into_any())
            }
        }

        #[pyo3::pymethods]
        impl $name {
            /// The fields as a dict of plain data (nested records become dicts).
            fn to_dict<'py>(
                &self,
                py: pyo3::Python<'py>,
            ) -> pyo3::PyResult<pyo3::Bound<'py, pyo3::types::PyDict>> {
                $crate::record::Record::record_dict(self, py)
            }

            fn __repr__(&self, py: pyo3::Python<'_>) -> pyo3::PyResult<String> {
                $crate::record::Record::record_repr(self, py)
            }

            fn __eq__(
                &self,
                py: pyo3::Python<'_>,
                other: pyo3::PyRef<'_, Self>,
            ) -> pyo3::PyResult<bool> {
                use pyo3::types::PyAnyMethods as _;
                let mine = $crate::record::Record::record_dict(self, py)?;
                let theirs = $crate::record::Record::record_dict(&*other, py)?;
                mine.as_any().eq(theirs)
            }

            $( $($methods)* )?
        }
    };
}

pub(crate) use record;
