//! The analysis JSON Schema stays inside the strict structured-output subset, and agrees with the
//! serde record.

use replytrack::analysis::json_schema::FORBIDDEN_KEYWORDS;
use replytrack::analysis::schema::FIELD_NAMES;
use replytrack::analysis::{Analysis, analysis_json_schema};
use serde_json::Value;

/// Walk every schema node (the root, each property, each `items`), calling `f` with its path.
fn walk(node: &Value, path: &str, f: &mut dyn FnMut(&str, &Value)) {
    f(path, node);
    if let Some(props) = node.get("properties").and_then(Value::as_object) {
        for (k, v) in props {
            walk(v, &format!("{path}.{k}"), f);
        }
    }
    if let Some(items) = node.get("items") {
        walk(items, &format!("{path}[]"), f);
    }
}

fn types(node: &Value) -> Vec<String> {
    match node.get("type") {
        Some(Value::String(s)) => vec![s.clone()],
        Some(Value::Array(a)) => a
            .iter()
            .filter_map(|t| t.as_str().map(str::to_string))
            .collect(),
        _ => Vec::new(),
    }
}

#[test]
fn root_is_an_object_listing_every_field_as_required() {
    let s = analysis_json_schema();
    assert_eq!(s["type"], "object");
    let required: Vec<&str> = s["required"]
        .as_array()
        .map(|a| a.iter().filter_map(Value::as_str).collect())
        .unwrap_or_default();
    assert_eq!(required, FIELD_NAMES.to_vec());
}

#[test]
fn every_object_is_closed_and_requires_all_its_properties() {
    let s = analysis_json_schema();
    let mut objects = 0;
    walk(&s, "$", &mut |path, node| {
        if types(node).iter().any(|t| t == "object") {
            objects += 1;
            assert_eq!(node["additionalProperties"], false, "{path}");
            let props: Vec<&String> = node["properties"]
                .as_object()
                .map(|o| o.keys().collect())
                .unwrap_or_default();
            let required: Vec<&str> = node["required"]
                .as_array()
                .map(|a| a.iter().filter_map(Value::as_str).collect())
                .unwrap_or_default();
            assert_eq!(props.len(), required.len(), "{path}");
            for p in props {
                assert!(required.contains(&p.as_str()), "{path}: {p} not required");
            }
        }
    });
    assert_eq!(objects, 3, "root, monthly_volume, references[]");
}

#[test]
fn no_forbidden_keyword_anywhere() {
    let s = analysis_json_schema();
    walk(&s, "$", &mut |path, node| {
        for k in FORBIDDEN_KEYWORDS {
            assert!(node.get(*k).is_none(), "{path} uses {k}");
        }
        assert!(node.get("type").is_some(), "{path} has no type");
    });
}

#[test]
fn nullable_fields_use_a_type_array_and_enums_are_strings_or_the_score() {
    let s = analysis_json_schema();
    assert_eq!(
        s["properties"]["product_usage"]["type"],
        serde_json::json!(["string", "null"])
    );
    assert_eq!(
        s["properties"]["monthly_volume"]["type"],
        serde_json::json!(["object", "null"])
    );
    assert_eq!(s["properties"]["opportunity_score"]["type"], "integer");
    assert_eq!(
        s["properties"]["opportunity_score"]["enum"],
        serde_json::json!([1, 2, 3, 4, 5])
    );
    assert_eq!(
        s["properties"]["response_type"]["enum"],
        serde_json::json!(["standard", "high_value", "needs_attention"])
    );
    assert_eq!(
        s["properties"]["sentiment"]["enum"],
        serde_json::json!(["positive", "neutral", "negative", "frustrated", "urgent"])
    );
    assert_eq!(
        s["properties"]["product_interest"]["enum"],
        serde_json::json!(["none", "mentioned", "interested", "very_interested"])
    );
    walk(&s, "$", &mut |path, node| {
        if let Some(values) = node.get("enum").and_then(Value::as_array) {
            let t = types(node);
            if path == "$.opportunity_score" || path == "$.schema_version" {
                assert!(values.iter().all(Value::is_i64), "{path}");
                assert_eq!(t, vec!["integer"], "{path}");
            } else {
                assert!(values.iter().all(Value::is_string), "{path}");
                assert_eq!(t, vec!["string"], "{path}");
            }
        }
    });
}

#[test]
fn a_record_serialised_by_serde_has_exactly_the_schema_properties() {
    let s = analysis_json_schema();
    let v = serde_json::to_value(Analysis::default()).unwrap_or_default();
    let mut got: Vec<&String> = v
        .as_object()
        .map(|o| o.keys().collect())
        .unwrap_or_default();
    let mut want: Vec<&String> = s["properties"]
        .as_object()
        .map(|o| o.keys().collect())
        .unwrap_or_default();
    got.sort();
    want.sort();
    assert_eq!(got, want);
}
