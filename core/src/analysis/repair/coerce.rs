//! From a JSON value (already repaired) to a typed [`Analysis`]: keys matched loosely, enum labels
//! coerced with aliases, scores and booleans read from words, then every field validated.

use std::fmt;

use serde_json::{Map, Value};

use super::aliases::{
    PERIOD, PRODUCT_INTEREST, REF_KIND, RESPONSE_TYPE, SENTIMENT, URGENCY, boolean_word,
    clean_reference_id, enum_value, field_for_key, fold, normalize_lang, number_word,
};
use crate::analysis::schema::{
    Analysis, MonthlyVolume, OpportunityScore, Period, ProductInterest, RefKind, Reference,
    ResponseType, SCHEMA_VERSION, Sentiment, Urgency, WireValues,
};

/// Longest list kept for a list field; extra items are dropped.
const MAX_LIST_ITEMS: usize = 20;
/// Longest text kept for one item, in characters; longer text is cut.
const MAX_ITEM_CHARS: usize = 500;

/// What is wrong with one field.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Problem {
    /// The field is absent.
    Missing,
    /// The value has the wrong JSON type.
    WrongType {
        /// What the schema wants.
        expected: &'static str,
        /// What was there.
        found: &'static str,
    },
    /// A string that is none of the allowed values, nor an alias of one.
    UnknownValue {
        /// The value as given (cut to 60 characters).
        value: String,
        /// The allowed values.
        allowed: Vec<&'static str>,
    },
    /// A number outside its range or not a whole number.
    OutOfRange {
        /// The value as given.
        value: String,
        /// The allowed range, in words.
        allowed: &'static str,
    },
}

/// One field that does not fit the schema.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{field}: {problem}")]
pub struct FieldError {
    /// The field's path, e.g. `sentiment` or `references[1].kind`.
    pub field: String,
    /// What is wrong with it.
    pub problem: Problem,
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Problem::Missing => write!(f, "missing"),
            Problem::WrongType { expected, found } => write!(f, "expected {expected}, got {found}"),
            Problem::UnknownValue { value, allowed } => {
                write!(f, "{value:?} is not one of {}", allowed.join(", "))
            }
            Problem::OutOfRange { value, allowed } => write!(f, "{value} is not {allowed}"),
        }
    }
}

/// Every field of a model's output that does not fit the schema (at least one).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub struct ValidationErrors(pub Vec<FieldError>);

impl fmt::Display for ValidationErrors {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, e) in self.0.iter().enumerate() {
            if i > 0 {
                write!(f, "; ")?;
            }
            write!(f, "{e}")?;
        }
        Ok(())
    }
}

fn type_name(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

fn short(s: &str) -> String {
    s.chars().take(60).collect()
}

fn cut(s: &str) -> String {
    s.trim().chars().take(MAX_ITEM_CHARS).collect()
}

struct Ctx {
    errors: Vec<FieldError>,
}

impl Ctx {
    fn fail(&mut self, field: impl Into<String>, problem: Problem) {
        self.errors.push(FieldError {
            field: field.into(),
            problem,
        });
    }

    fn wrong(&mut self, field: impl Into<String>, expected: &'static str, v: &Value) {
        self.fail(
            field,
            Problem::WrongType {
                expected,
                found: type_name(v),
            },
        );
    }

    fn enumeration<T: WireValues>(
        &mut self,
        field: &str,
        v: Option<&Value>,
        table: &[(&str, T)],
    ) -> Option<T> {
        let allowed = || T::VALUES.iter().map(|(n, _)| *n).collect::<Vec<_>>();
        match v {
            None => {
                self.fail(field, Problem::Missing);
                None
            }
            Some(Value::String(s)) => {
                let found = enum_value(table, s).or_else(|| {
                    let f = fold(s);
                    T::VALUES
                        .iter()
                        .find(|(n, _)| fold(n) == f)
                        .map(|(_, v)| *v)
                });
                if found.is_none() {
                    self.fail(
                        field,
                        Problem::UnknownValue {
                            value: short(s),
                            allowed: allowed(),
                        },
                    );
                }
                found
            }
            Some(other) => {
                self.wrong(field, "a string", other);
                None
            }
        }
    }
}

/// Turn a JSON object into an [`Analysis`], or say which fields do not fit.
pub fn coerce_analysis(value: &Value) -> Result<Analysis, ValidationErrors> {
    let mut ctx = Ctx { errors: Vec::new() };
    let Some(obj) = value.as_object() else {
        return Err(ValidationErrors(vec![FieldError {
            field: "(root)".to_string(),
            problem: Problem::WrongType {
                expected: "an object",
                found: type_name(value),
            },
        }]));
    };
    // Some models wrap the answer: {"analysis": {...}}.
    let obj = unwrap_single(obj);
    let mut fields: Map<String, Value> = Map::new();
    for (k, v) in obj {
        if let Some(canonical) = field_for_key(k) {
            fields
                .entry(canonical.to_string())
                .or_insert_with(|| v.clone());
        }
    }
    let get = |name: &str| fields.get(name);

    match get("schema_version") {
        None => {}
        Some(v) if version_of(v) == Some(SCHEMA_VERSION) => {}
        Some(v) => ctx.fail(
            "schema_version",
            Problem::OutOfRange {
                value: short(&v.to_string()),
                allowed: "1",
            },
        ),
    }
    let response_type =
        ctx.enumeration::<ResponseType>("response_type", get("response_type"), RESPONSE_TYPE);
    let sentiment = ctx.enumeration::<Sentiment>("sentiment", get("sentiment"), SENTIMENT);
    let urgency = ctx.enumeration::<Urgency>("urgency", get("urgency"), URGENCY);
    let product_interest = ctx.enumeration::<ProductInterest>(
        "product_interest",
        get("product_interest"),
        PRODUCT_INTEREST,
    );
    let opportunity_score = score(&mut ctx, get("opportunity_score"));
    let follow_up_needed = boolean(&mut ctx, "follow_up_needed", get("follow_up_needed"));
    let key_insights = string_list(&mut ctx, "key_insights", get("key_insights"));
    let action_items = string_list(&mut ctx, "action_items", get("action_items"));
    let pain_points = string_list(&mut ctx, "pain_points", get("pain_points"));
    let suggested_labels = string_list(&mut ctx, "suggested_labels", get("suggested_labels"))
        .into_iter()
        .map(|l| fold(&l).replace(' ', "-"))
        .filter(|l| !l.is_empty())
        .collect();
    let recommended_actions =
        string_list(&mut ctx, "recommended_actions", get("recommended_actions"));
    let product_usage = optional_text(&mut ctx, "product_usage", get("product_usage"));
    let monthly_volume = volume(&mut ctx, get("monthly_volume"));
    let references = references(&mut ctx, get("references"));
    let lang = match get("lang") {
        None => {
            ctx.fail("lang", Problem::Missing);
            None
        }
        Some(Value::String(s)) => {
            let l = normalize_lang(s);
            if l.is_none() {
                ctx.fail(
                    "lang",
                    Problem::UnknownValue {
                        value: short(s),
                        allowed: vec!["an ISO 639-1 code such as en, fr, es, pt, de"],
                    },
                );
            }
            l
        }
        Some(other) => {
            ctx.wrong("lang", "a string", other);
            None
        }
    };

    match (
        response_type,
        sentiment,
        urgency,
        product_interest,
        opportunity_score,
        follow_up_needed,
        lang,
    ) {
        (Some(rt), Some(se), Some(ur), Some(pi), Some(sc), Some(fu), Some(lang))
            if ctx.errors.is_empty() =>
        {
            Ok(Analysis {
                schema_version: SCHEMA_VERSION,
                response_type: rt,
                key_insights,
                sentiment: se,
                urgency: ur,
                opportunity_score: sc,
                follow_up_needed: fu,
                product_interest: pi,
                action_items,
                product_usage,
                monthly_volume,
                pain_points,
                references,
                suggested_labels,
                recommended_actions,
                lang,
            })
        }
        _ => Err(ValidationErrors(ctx.errors)),
    }
}

/// `{"analysis": {...}}` or `{"result": {...}}` → the inner object.
fn unwrap_single(obj: &Map<String, Value>) -> &Map<String, Value> {
    if obj.len() == 1
        && let Some((k, Value::Object(inner))) = obj.iter().next()
        && field_for_key(k).is_none()
    {
        return inner;
    }
    obj
}

fn version_of(v: &Value) -> Option<u32> {
    match v {
        Value::Number(n) => n.as_f64().filter(|f| f.fract() == 0.0).map(|f| f as u32),
        Value::String(s) => s.trim().trim_start_matches(['v', 'V']).parse().ok(),
        _ => None,
    }
}

fn score(ctx: &mut Ctx, v: Option<&Value>) -> Option<OpportunityScore> {
    const FIELD: &str = "opportunity_score";
    const ALLOWED: &str = "an integer from 1 to 5";
    let out_of_range = |ctx: &mut Ctx, value: String| {
        ctx.fail(
            FIELD,
            Problem::OutOfRange {
                value,
                allowed: ALLOWED,
            },
        );
        None
    };
    let number = match v {
        None => {
            ctx.fail(FIELD, Problem::Missing);
            return None;
        }
        Some(Value::Number(n)) => n.as_f64(),
        Some(Value::String(s)) => score_from_text(s),
        Some(other) => {
            ctx.wrong(FIELD, ALLOWED, other);
            return None;
        }
    };
    let shown = v.map(|v| short(&v.to_string())).unwrap_or_default();
    match number {
        Some(f) if f.fract() == 0.0 && (1.0..=5.0).contains(&f) => {
            OpportunityScore::new(f as u8).ok()
        }
        _ => out_of_range(ctx, shown),
    }
}

/// "4", "4.0", "4/5", "8/10", "4 out of 5", "4 sur 5", "four", "quatre".
fn score_from_text(s: &str) -> Option<f64> {
    let t = s.trim();
    if let Some(n) = number_word(t) {
        return Some(f64::from(n));
    }
    let f = fold(t);
    let mut parts = f.split(' ');
    let first = parts.next()?;
    let rest: Vec<&str> = parts.collect();
    // "4 0" is how fold spells "4.0"; "4 5" is "4/5"; "4 out of 5", "4 sur 5", "4 de 5", "4 von 5".
    let numerator: f64 = first.parse().ok()?;
    let denominator = match rest.as_slice() {
        [] => None,
        ["0"] | ["00"] if t.contains(['.', ',']) => None,
        [d] if t.contains('/') => d.parse::<f64>().ok(),
        [_, d] | [_, _, d] => d.parse::<f64>().ok(),
        _ => return None,
    };
    match denominator {
        None | Some(5.0) => Some(numerator),
        Some(d) if d > 0.0 => Some((numerator / d * 5.0).round()),
        Some(_) => None,
    }
}

fn boolean(ctx: &mut Ctx, field: &str, v: Option<&Value>) -> Option<bool> {
    match v {
        None => {
            ctx.fail(field, Problem::Missing);
            None
        }
        Some(Value::Bool(b)) => Some(*b),
        Some(Value::Number(n)) if n.as_f64() == Some(1.0) => Some(true),
        Some(Value::Number(n)) if n.as_f64() == Some(0.0) => Some(false),
        Some(Value::String(s)) => {
            let b = boolean_word(s);
            if b.is_none() {
                ctx.fail(
                    field,
                    Problem::UnknownValue {
                        value: short(s),
                        allowed: vec!["true", "false"],
                    },
                );
            }
            b
        }
        Some(other) => {
            ctx.wrong(field, "a boolean", other);
            None
        }
    }
}

/// A list of short texts: also accepts one string, null (empty), and objects with a text field.
fn string_list(ctx: &mut Ctx, field: &str, v: Option<&Value>) -> Vec<String> {
    let items: Vec<&Value> = match v {
        None | Some(Value::Null) => return Vec::new(),
        Some(Value::Array(items)) => items.iter().collect(),
        Some(one @ Value::String(_)) => vec![one],
        Some(other) => {
            ctx.wrong(field, "an array of strings", other);
            return Vec::new();
        }
    };
    let mut out = Vec::new();
    for (i, item) in items.into_iter().enumerate() {
        let text = match item {
            Value::String(s) => Some(cut(s)),
            Value::Number(n) => Some(n.to_string()),
            Value::Object(o) => o.values().find_map(|v| v.as_str()).map(cut),
            Value::Null => None,
            other => {
                ctx.wrong(format!("{field}[{i}]"), "a string", other);
                None
            }
        };
        if let Some(t) = text.filter(|t| !t.is_empty())
            && out.len() < MAX_LIST_ITEMS
        {
            out.push(t);
        }
    }
    out
}

fn is_nothing_word(s: &str) -> bool {
    matches!(
        fold(s).as_str(),
        "" | "none"
            | "null"
            | "n a"
            | "na"
            | "unknown"
            | "not stated"
            | "aucun"
            | "aucune"
            | "ninguno"
            | "nenhum"
            | "keine"
    )
}

fn optional_text(ctx: &mut Ctx, field: &str, v: Option<&Value>) -> Option<String> {
    match v {
        None | Some(Value::Null) => None,
        Some(Value::String(s)) if is_nothing_word(s) => None,
        Some(Value::String(s)) => Some(cut(s)),
        Some(other) => {
            ctx.wrong(field, "a string or null", other);
            None
        }
    }
}

fn volume(ctx: &mut Ctx, v: Option<&Value>) -> Option<MonthlyVolume> {
    const FIELD: &str = "monthly_volume";
    let obj = match v {
        None | Some(Value::Null) => return None,
        Some(Value::String(s)) if is_nothing_word(s) => return None,
        Some(Value::Object(o)) => o,
        Some(other) => {
            ctx.wrong(FIELD, "an object or null", other);
            return None;
        }
    };
    let raw = obj
        .get("raw")
        .or_else(|| obj.get("phrase"))
        .and_then(Value::as_str)
        .map(cut)
        .unwrap_or_default();
    let value = match obj.get("value").or_else(|| obj.get("amount")) {
        Some(Value::Null) | None if raw.is_empty() => return None,
        Some(Value::Number(n)) => n.as_f64(),
        Some(Value::String(s)) => crate::analysis::heuristic::parse_amount(s),
        _ => None,
    };
    let Some(value) = value.filter(|v| v.is_finite() && *v >= 0.0) else {
        ctx.fail(
            format!("{FIELD}.value"),
            Problem::OutOfRange {
                value: short(&obj.get("value").map(Value::to_string).unwrap_or_default()),
                allowed: "a non-negative number",
            },
        );
        return None;
    };
    let period = match obj.get("period") {
        None | Some(Value::Null) => Period::Month,
        Some(Value::String(s)) => match enum_value(PERIOD, s) {
            Some(p) => p,
            None => {
                ctx.fail(
                    format!("{FIELD}.period"),
                    Problem::UnknownValue {
                        value: short(s),
                        allowed: Period::VALUES.iter().map(|(n, _)| *n).collect(),
                    },
                );
                return None;
            }
        },
        Some(other) => {
            ctx.wrong(format!("{FIELD}.period"), "a string", other);
            return None;
        }
    };
    let unit = obj
        .get("unit")
        .and_then(Value::as_str)
        .map(crate::analysis::heuristic::normalize_unit)
        .unwrap_or_default();
    Some(MonthlyVolume {
        raw,
        value: Period::Month.per_month(value),
        unit,
        period,
    })
}

fn references(ctx: &mut Ctx, v: Option<&Value>) -> Vec<Reference> {
    let items = match v {
        None | Some(Value::Null) => return Vec::new(),
        Some(Value::Array(items)) => items,
        Some(other) => {
            ctx.wrong("references", "an array of {kind, id} objects", other);
            return Vec::new();
        }
    };
    let mut out: Vec<Reference> = Vec::new();
    for (i, item) in items.iter().enumerate() {
        let Some(o) = item.as_object() else {
            ctx.wrong(format!("references[{i}]"), "an object {kind, id}", item);
            continue;
        };
        let kind = match o.get("kind").or_else(|| o.get("type")) {
            Some(Value::String(s)) => match enum_value(REF_KIND, s) {
                Some(k) => Some(k),
                None => {
                    ctx.fail(
                        format!("references[{i}].kind"),
                        Problem::UnknownValue {
                            value: short(s),
                            allowed: RefKind::VALUES.iter().map(|(n, _)| *n).collect(),
                        },
                    );
                    None
                }
            },
            Some(other) => {
                ctx.wrong(format!("references[{i}].kind"), "a string", other);
                None
            }
            None => {
                ctx.fail(format!("references[{i}].kind"), Problem::Missing);
                None
            }
        };
        let id = match o.get("id").or_else(|| o.get("number")) {
            Some(Value::String(s)) => Some(clean_reference_id(s)),
            Some(Value::Number(n)) => Some(n.to_string()),
            Some(other) => {
                ctx.wrong(format!("references[{i}].id"), "a string", other);
                None
            }
            None => {
                ctx.fail(format!("references[{i}].id"), Problem::Missing);
                None
            }
        };
        if let (Some(kind), Some(id)) = (kind, id.filter(|id| !id.is_empty())) {
            let r = Reference { kind, id: cut(&id) };
            if !out.contains(&r) && out.len() < MAX_LIST_ITEMS {
                out.push(r);
            }
        }
    }
    out
}
