//! Output repair and validation: from what a model returned to a typed [`Analysis`].
//!
//! Models return strict JSON, JSON inside markdown fences, JSON after a sentence of prose, JSON
//! with trailing commas, single quotes, unquoted keys or comments, and labels in the language of
//! the conversation ("Haute Valeur", "Muy interesado", "4/5", "oui"). [`parse_analysis`] accepts
//! all of them; when the result still does not fit the schema, it returns an [`OutputError`] whose
//! [`OutputError::feedback`] is the message to send back to the model on retry.
//!
//! Every step is linear in the input, which is capped at [`RepairLimits::max_input_bytes`].

mod aliases;
mod coerce;
mod lenient;

use serde_json::Value;

use super::schema::Analysis;

pub(crate) use aliases::fold;
pub use aliases::{clean_reference_id, normalize_lang};
pub use coerce::{FieldError, Problem, ValidationErrors, coerce_analysis};

/// Bounds on the text [`parse_analysis`] will read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RepairLimits {
    /// Longest accepted model output, in bytes (default 256 KiB).
    pub max_input_bytes: usize,
    /// Deepest accepted nesting of arrays and objects (default 32).
    pub max_depth: usize,
}

impl Default for RepairLimits {
    fn default() -> Self {
        Self {
            max_input_bytes: 256 * 1024,
            max_depth: 32,
        }
    }
}

/// Why no JSON object could be read from a model's output.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ParseError {
    /// The output is longer than the limit.
    #[error("model output is {len} bytes, over the limit of {limit}")]
    TooLarge {
        /// Its length in bytes.
        len: usize,
        /// The limit.
        limit: usize,
    },
    /// The output is empty or whitespace.
    #[error("model output is empty")]
    Empty,
    /// No `{` … `}` object was found anywhere in the output.
    #[error("model output contains no JSON object")]
    NoObject,
    /// An object was found but could not be read.
    #[error("invalid JSON at byte {offset}: expected {expected}, found {found}")]
    Syntax {
        /// Byte offset in the candidate text.
        offset: usize,
        /// What the reader expected there.
        expected: &'static str,
        /// What it found (a short excerpt or "end of input").
        found: String,
    },
    /// Arrays and objects nest deeper than the limit.
    #[error("JSON nests deeper than {limit} levels at byte {offset}")]
    TooDeep {
        /// Byte offset where the limit was passed.
        offset: usize,
        /// The limit.
        limit: usize,
    },
}

/// Why a model's output is not a usable [`Analysis`].
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum OutputError {
    /// No JSON object could be read.
    #[error("cannot read the model output: {0}")]
    Parse(#[from] ParseError),
    /// An object was read but some fields do not fit the schema.
    #[error("the model output does not fit the schema: {0}")]
    Invalid(#[from] ValidationErrors),
}

impl OutputError {
    /// A message for the model, sent with a retry: what was wrong and what to return instead.
    pub fn feedback(&self) -> String {
        let what = match self {
            OutputError::Parse(ParseError::TooLarge { .. }) => {
                "Your previous answer was far too long.".to_string()
            }
            OutputError::Parse(e) => format!("Your previous answer was not valid JSON ({e})."),
            OutputError::Invalid(errors) => {
                let mut s = String::from("Your previous answer did not match the schema:");
                for e in &errors.0 {
                    s.push_str("\n- ");
                    s.push_str(&e.to_string());
                }
                s
            }
        };
        format!(
            "{what}\nAnswer again with exactly one JSON object and nothing else: no prose, no \
             markdown fences. Include every field of the schema, spell enum values exactly as \
             listed, give opportunity_score as an integer from 1 to 5, follow_up_needed as true \
             or false, and use null only where the schema allows it."
        )
    }
}

/// Read a model's output into an [`Analysis`], with the default limits.
pub fn parse_analysis(output: &str) -> Result<Analysis, OutputError> {
    parse_analysis_with(output, RepairLimits::default())
}

/// Read a model's output into an [`Analysis`].
pub fn parse_analysis_with(output: &str, limits: RepairLimits) -> Result<Analysis, OutputError> {
    let value = extract_json_object(output, limits)?;
    Ok(coerce_analysis(&value)?)
}

/// Find and read the JSON object in a model's output: the whole text, else the first fenced block
/// that holds one, else the first balanced object in the prose, else (output cut short) the open
/// object at the end with its brackets closed.
pub fn extract_json_object(output: &str, limits: RepairLimits) -> Result<Value, ParseError> {
    if output.len() > limits.max_input_bytes {
        return Err(ParseError::TooLarge {
            len: output.len(),
            limit: limits.max_input_bytes,
        });
    }
    let text = output.trim();
    if text.is_empty() {
        return Err(ParseError::Empty);
    }
    let mut first_error = None;
    if text.starts_with('{') {
        match lenient::parse_value_prefix(text, limits.max_depth, false) {
            Ok((v @ Value::Object(_), end)) if text.get(end..).is_some_and(is_ignorable_tail) => {
                return Ok(v);
            }
            Ok(_) => {}
            Err(e @ ParseError::TooDeep { .. }) => return Err(e),
            Err(e) => first_error = Some(e),
        }
    }
    for block in fenced_blocks(text) {
        if let Ok(v) = first_balanced_object(block, limits, false) {
            return Ok(v);
        }
    }
    match first_balanced_object(text, limits, true) {
        Ok(v) => Ok(v),
        Err(ParseError::NoObject) => Err(first_error.unwrap_or(ParseError::NoObject)),
        Err(e) => Err(first_error.unwrap_or(e)),
    }
}

/// After a complete object: only whitespace, comments or a closing fence.
fn is_ignorable_tail(rest: &str) -> bool {
    rest.trim().trim_matches('`').trim().is_empty()
}

/// The contents of each ```` ``` ```` fenced block, language tag removed. One pass over the text.
fn fenced_blocks(text: &str) -> Vec<&str> {
    let mut blocks = Vec::new();
    let mut rest = text;
    while let Some(open) = rest.find("```") {
        let after = rest.get(open + 3..).unwrap_or_default();
        // Skip the info string ("json") up to the end of the line.
        let body_start = after.find('\n').map(|i| i + 1).unwrap_or(0);
        let body = after.get(body_start..).unwrap_or_default();
        match body.find("```") {
            Some(close) => {
                blocks.push(body.get(..close).unwrap_or_default());
                rest = body.get(close + 3..).unwrap_or_default();
            }
            None => {
                blocks.push(body);
                break;
            }
        }
    }
    blocks
}

/// Scan for `{`…`}` spans balanced outside strings and comments; return the first that reads as
/// an object. Spans are disjoint, so the whole scan is linear.
fn first_balanced_object(
    text: &str,
    limits: RepairLimits,
    allow_truncated_tail: bool,
) -> Result<Value, ParseError> {
    let bytes = text.as_bytes();
    let mut depth = 0usize;
    let mut start = 0usize;
    let mut i = 0usize;
    let mut in_string: Option<u8> = None;
    let mut last_significant = b'{';
    let mut first_error: Option<ParseError> = None;
    let mut saw_open = false;
    while let Some(&c) = bytes.get(i) {
        if depth == 0 {
            if c == b'{' {
                depth = 1;
                start = i;
                saw_open = true;
                last_significant = b'{';
            }
            i += 1;
            continue;
        }
        if let Some(q) = in_string {
            if c == b'\\' {
                i += 2;
                continue;
            }
            if c == q {
                in_string = None;
                last_significant = c;
            }
            i += 1;
            continue;
        }
        match c {
            b'"' => in_string = Some(b'"'),
            b'\'' if matches!(last_significant, b'{' | b'[' | b',' | b':') => {
                in_string = Some(b'\'')
            }
            b'/' if bytes.get(i + 1) == Some(&b'/') => {
                while let Some(&c) = bytes.get(i) {
                    if c == b'\n' {
                        break;
                    }
                    i += 1;
                }
                continue;
            }
            b'/' if bytes.get(i + 1) == Some(&b'*') => {
                i += 2;
                while i < bytes.len()
                    && !(bytes.get(i) == Some(&b'*') && bytes.get(i + 1) == Some(&b'/'))
                {
                    i += 1;
                }
                i += 2;
                continue;
            }
            b'{' | b'[' => depth += 1,
            b'}' | b']' => {
                depth -= 1;
                if depth == 0 {
                    let candidate = text.get(start..=i).unwrap_or_default();
                    match lenient::parse_value_prefix(candidate, limits.max_depth, false) {
                        Ok((v @ Value::Object(_), _)) => return Ok(v),
                        Ok(_) => {}
                        Err(e @ ParseError::TooDeep { .. }) => return Err(e),
                        Err(e) => {
                            first_error.get_or_insert(e);
                        }
                    }
                }
            }
            _ => {}
        }
        if !c.is_ascii_whitespace() {
            last_significant = c;
        }
        i += 1;
    }
    if depth > 0 && allow_truncated_tail {
        let candidate = text.get(start..).unwrap_or_default();
        match lenient::parse_value_prefix(candidate, limits.max_depth, true) {
            Ok((v @ Value::Object(_), _)) => return Ok(v),
            Ok(_) => {}
            Err(e @ ParseError::TooDeep { .. }) => return Err(e),
            Err(e) => {
                first_error.get_or_insert(e);
            }
        }
    }
    match first_error {
        Some(e) => Err(e),
        None if saw_open => Err(ParseError::NoObject),
        None => Err(ParseError::NoObject),
    }
}
