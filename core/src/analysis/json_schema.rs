//! The [`Analysis`](super::Analysis) record as a JSON Schema, in the subset every structured-output
//! API accepts (OpenAI `strict: true`, Azure OpenAI, vLLM, Ollama, the llama.cpp server):
//!
//! - the root is an object; every object lists every property in `required`;
//! - optional values are nullable as `"type": ["T", "null"]`, never omitted;
//! - `additionalProperties: false` on every object;
//! - enums are string enums; the opportunity score is an integer enum `[1, 2, 3, 4, 5]`;
//! - no `oneOf`, `anyOf`, `allOf`, `$ref`, `minimum`/`maximum`, `minItems`, `pattern`, `default`.

use serde_json::{Map, Value, json};

use super::schema::{
    FIELD_NAMES, Period, ProductInterest, RefKind, ResponseType, SCHEMA_VERSION, Sentiment,
    Urgency, WireValues,
};

/// The name the schema is sent under (`json_schema.name` in a chat-completions request).
pub const SCHEMA_NAME: &str = "reply_analysis";

fn names<T: WireValues>() -> Vec<&'static str> {
    T::VALUES.iter().map(|(n, _)| *n).collect()
}

fn string_enum<T: WireValues>(description: &str) -> Value {
    json!({"type": "string", "enum": names::<T>(), "description": description})
}

fn string_list(description: &str) -> Value {
    json!({"type": "array", "items": {"type": "string"}, "description": description})
}

fn object(properties: Vec<(&str, Value)>, description: &str) -> Value {
    let required: Vec<Value> = properties.iter().map(|(k, _)| json!(k)).collect();
    let mut props = Map::new();
    for (k, v) in properties {
        props.insert(k.to_string(), v);
    }
    json!({
        "type": "object",
        "description": description,
        "properties": props,
        "required": required,
        "additionalProperties": false,
    })
}

fn object_nullable(properties: Vec<(&str, Value)>, description: &str) -> Value {
    let mut v = object(properties, description);
    if let Some(o) = v.as_object_mut() {
        o.insert("type".to_string(), json!(["object", "null"]));
    }
    v
}

/// The JSON Schema of [`Analysis`](super::Analysis).
pub fn analysis_json_schema() -> Value {
    let volume = object_nullable(
        vec![
            (
                "raw",
                json!({"type": "string", "description": "the phrase as written in the reply"}),
            ),
            (
                "value",
                json!({"type": "integer", "description": "the amount normalised per month (per week x 4.33, per day x 30.44, per quarter / 3, per year / 12), rounded; 2k = 2000"}),
            ),
            (
                "unit",
                json!({"type": "string", "description": "what is counted, a lowercase English plural noun (emails, orders, users, messages), or currency for money"}),
            ),
            (
                "period",
                string_enum::<Period>("the period the phrase stated"),
            ),
        ],
        "a usage volume the reply states (emails, orders, messages, money per period), or null when none is stated",
    );
    let reference = object(
        vec![
            (
                "kind",
                string_enum::<RefKind>("what the identifier refers to"),
            ),
            (
                "id",
                json!({"type": "string", "description": "the identifier as written, without #, n°, No., Nr."}),
            ),
        ],
        "an order, quote or invoice the reply refers to",
    );
    let properties = vec![
        (
            "schema_version",
            json!({"type": "integer", "enum": [SCHEMA_VERSION], "description": "always this value"}),
        ),
        (
            "response_type",
            string_enum::<ResponseType>(
                "standard: a normal reply, follow up at your pace; high_value: strong interest or an opportunity, follow up at once; needs_attention: a problem or concern, handle it first",
            ),
        ),
        (
            "key_insights",
            string_list("one to three short summary points, in the account language"),
        ),
        (
            "sentiment",
            string_enum::<Sentiment>("the tone of the reply"),
        ),
        (
            "urgency",
            string_enum::<Urgency>(
                "low: no time pressure; medium: within a day or two; high: today (deadline, outage, blocked)",
            ),
        ),
        (
            "opportunity_score",
            json!({"type": "integer", "enum": [1, 2, 3, 4, 5], "description": "expansion potential from 1 (none) to 5 (a large deal ready now)"}),
        ),
        (
            "follow_up_needed",
            json!({"type": "boolean", "description": "whether someone on the team should answer"}),
        ),
        (
            "product_interest",
            string_enum::<ProductInterest>(
                "none; mentioned: the product comes up without a wish to buy; interested: asks about pricing, plans, features, a demo; very_interested: wants to buy, upgrade or sign now",
            ),
        ),
        (
            "action_items",
            string_list("what the customer asks the team to do, in the account language"),
        ),
        (
            "product_usage",
            json!({"type": ["string", "null"], "description": "how they use the product today, or null"}),
        ),
        ("monthly_volume", volume),
        (
            "pain_points",
            string_list("problems and frustrations mentioned, in the account language"),
        ),
        (
            "references",
            json!({"type": "array", "items": reference, "description": "orders, quotes and invoices referred to"}),
        ),
        (
            "suggested_labels",
            string_list(
                "lowercase kebab-case labels for the conversation, e.g. pricing, bug, billing, churn-risk, upsell",
            ),
        ),
        (
            "recommended_actions",
            string_list("what the team should do next, in the account language"),
        ),
        (
            "lang",
            json!({"type": "string", "description": "ISO 639-1 code of the reply's language, e.g. en, fr, es, pt, de"}),
        ),
    ];
    debug_assert_eq!(properties.len(), FIELD_NAMES.len());
    let mut root = object(properties, "analysis of one customer reply");
    if let Some(o) = root.as_object_mut() {
        o.insert(
            "title".to_string(),
            json!(format!("{SCHEMA_NAME}.v{SCHEMA_VERSION}")),
        );
    }
    root
}

/// The schema's property names and their allowed values, as compact text for a prompt.
pub(crate) fn schema_text() -> &'static str {
    static TEXT: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    TEXT.get_or_init(|| serde_json::to_string(&analysis_json_schema()).unwrap_or_default())
}

/// Keys a strict structured-output API refuses (or that break `strict: true`).
pub const FORBIDDEN_KEYWORDS: &[&str] = &[
    "oneOf",
    "anyOf",
    "allOf",
    "not",
    "$ref",
    "$defs",
    "definitions",
    "minimum",
    "maximum",
    "exclusiveMinimum",
    "exclusiveMaximum",
    "minItems",
    "maxItems",
    "minLength",
    "maxLength",
    "pattern",
    "format",
    "default",
    "const",
];
