//! Reading untrusted JSON field by field, so that every error names the field (a JSON path).

use serde_json::{Map, Value};

use super::error::ProviderError;

/// Parse JSON held in `field` (or the payload itself when `None`).
pub(crate) fn parse(bytes: &[u8], field: Option<&str>) -> Result<Value, ProviderError> {
    serde_json::from_slice(bytes).map_err(|e| ProviderError::InvalidJson {
        field: field.map(str::to_string),
        message: e.to_string(),
    })
}

/// `path.key`, or `key` at the top level.
pub(crate) fn join(path: &str, key: &str) -> String {
    if path.is_empty() {
        key.to_string()
    } else {
        format!("{path}.{key}")
    }
}

/// The value as an object.
pub(crate) fn object<'v>(
    value: &'v Value,
    path: &str,
) -> Result<&'v Map<String, Value>, ProviderError> {
    value.as_object().ok_or_else(|| ProviderError::WrongType {
        field: if path.is_empty() {
            "payload".to_string()
        } else {
            path.to_string()
        },
        expected: "an object",
    })
}

/// An optional string member; `null` counts as absent.
pub(crate) fn opt_str<'v>(
    obj: &'v Map<String, Value>,
    key: &str,
    path: &str,
) -> Result<Option<&'v str>, ProviderError> {
    match obj.get(key) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) => Ok(Some(s)),
        Some(_) => Err(ProviderError::WrongType {
            field: join(path, key),
            expected: "a string",
        }),
    }
}

/// A required string member.
pub(crate) fn req_str<'v>(
    obj: &'v Map<String, Value>,
    key: &str,
    path: &str,
) -> Result<&'v str, ProviderError> {
    opt_str(obj, key, path)?.ok_or_else(|| ProviderError::MissingField {
        field: join(path, key),
    })
}

/// An optional object member; `null` counts as absent.
pub(crate) fn opt_object<'v>(
    obj: &'v Map<String, Value>,
    key: &str,
    path: &str,
) -> Result<Option<&'v Map<String, Value>>, ProviderError> {
    match obj.get(key) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::Object(o)) => Ok(Some(o)),
        Some(_) => Err(ProviderError::WrongType {
            field: join(path, key),
            expected: "an object",
        }),
    }
}

/// An optional array member; `null` counts as empty.
pub(crate) fn opt_array<'v>(
    obj: &'v Map<String, Value>,
    key: &str,
    path: &str,
) -> Result<&'v [Value], ProviderError> {
    match obj.get(key) {
        None | Some(Value::Null) => Ok(&[]),
        Some(Value::Array(a)) => Ok(a),
        Some(_) => Err(ProviderError::WrongType {
            field: join(path, key),
            expected: "a list",
        }),
    }
}

/// An optional list of strings; `null` counts as empty, and a lone string as a list of one.
pub(crate) fn opt_str_list(
    obj: &Map<String, Value>,
    key: &str,
    path: &str,
) -> Result<Vec<String>, ProviderError> {
    match obj.get(key) {
        None | Some(Value::Null) => Ok(Vec::new()),
        Some(Value::String(s)) => Ok(vec![s.clone()]),
        Some(Value::Array(items)) => items
            .iter()
            .enumerate()
            .map(|(i, v)| {
                v.as_str()
                    .map(str::to_string)
                    .ok_or_else(|| ProviderError::WrongType {
                        field: format!("{}[{i}]", join(path, key)),
                        expected: "a string",
                    })
            })
            .collect(),
        Some(_) => Err(ProviderError::WrongType {
            field: join(path, key),
            expected: "a list of strings",
        }),
    }
}
