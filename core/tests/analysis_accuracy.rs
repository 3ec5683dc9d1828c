//! The heuristic analyzer against the labelled sets in `tests/analysis/`: accuracy per field,
//! printed as a table, and a failure when any field falls below its recorded floor.
//!
//! - `labelled.jsonl` (102 replies) is the development set: the lexicons were tuned on it, so its
//!   figures flatter the analyzer.
//! - `holdout.jsonl` (40 replies) was written after tuning and is never tuned on: its figures are
//!   the honest estimate.
//!
//! Floors sit a little under what the analyzer achieves today (see docs/analysis.md); raise them
//! when the analyzer improves, never lower them to let a regression through.

use std::collections::BTreeMap;

use replytrack::analysis::{Analysis, AnalysisContext, HeuristicAnalyzer, RefKind};
use serde_json::Value;

const DEV_SET: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../tests/analysis/labelled.jsonl"
);
const HOLDOUT_SET: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../tests/analysis/holdout.jsonl"
);

/// Field → lowest accepted accuracy on the development set.
const DEV_FLOORS: &[(&str, f64)] = &[
    ("response_type", 0.95),
    ("sentiment", 0.95),
    ("urgency", 0.93),
    ("product_interest", 0.95),
    ("follow_up_needed", 0.95),
    ("opportunity_score", 0.95),
    ("opportunity_score_within_1", 0.95),
    ("references", 0.95),
    ("monthly_volume", 0.95),
    ("lang", 0.95),
];

/// Field → lowest accepted accuracy on the held-out set.
const HOLDOUT_FLOORS: &[(&str, f64)] = &[
    ("response_type", 0.85),
    ("sentiment", 0.75),
    ("urgency", 0.80),
    ("product_interest", 0.80),
    ("follow_up_needed", 0.90),
    ("opportunity_score", 0.80),
    ("opportunity_score_within_1", 0.92),
    ("references", 0.95),
    ("monthly_volume", 0.95),
    ("lang", 0.95),
];

/// Fields compared exactly (the score within one is a looser view of the score).
fn is_exact(field: &str) -> bool {
    field != "opportunity_score_within_1"
}

struct Case {
    id: String,
    text: String,
    expected: Value,
}

fn load(path: &str) -> Vec<Case> {
    let raw = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("read {path}: {e}"));
    raw.lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| {
            let v: Value = serde_json::from_str(l).unwrap_or_else(|e| panic!("{l}: {e}"));
            Case {
                id: v["id"].as_str().unwrap_or_default().to_string(),
                text: v["text"].as_str().unwrap_or_default().to_string(),
                expected: v["expected"].clone(),
            }
        })
        .collect()
}

fn kind_name(k: RefKind) -> &'static str {
    match k {
        RefKind::Order => "order",
        RefKind::Quote => "quote",
        RefKind::Invoice => "invoice",
    }
}

fn field_matches(field: &str, got: &Analysis, want: &Value) -> bool {
    match field {
        "opportunity_score_within_1" => {
            let w = want["opportunity_score"].as_i64().unwrap_or(0);
            (i64::from(got.opportunity_score.get()) - w).abs() <= 1
        }
        "references" => {
            let mut a: Vec<String> = got
                .references
                .iter()
                .map(|r| format!("{}:{}", kind_name(r.kind), r.id))
                .collect();
            let mut b: Vec<String> = want["references"]
                .as_array()
                .map(|v| {
                    v.iter()
                        .map(|r| {
                            format!(
                                "{}:{}",
                                r["kind"].as_str().unwrap_or_default(),
                                r["id"].as_str().unwrap_or_default()
                            )
                        })
                        .collect()
                })
                .unwrap_or_default();
            a.sort();
            b.sort();
            a == b
        }
        "monthly_volume" => match (&got.monthly_volume, &want["monthly_volume"]) {
            (None, Value::Null) => true,
            (Some(v), w @ Value::Object(_)) => {
                let wv = w["value"].as_f64().unwrap_or(-1.0);
                (v.value as f64 - wv).abs() <= wv * 0.01
                    && w["unit"].as_str() == Some(v.unit.as_str())
            }
            _ => false,
        },
        other => serde_json::to_value(got).unwrap_or_default()[other] == want[other],
    }
}

fn shown(field: &str, got: &Analysis) -> String {
    let g = serde_json::to_value(got).unwrap_or_default();
    match field {
        "monthly_volume" => got
            .monthly_volume
            .as_ref()
            .map(|v| format!("{} {} ({:?})", v.value, v.unit, v.raw))
            .unwrap_or_else(|| "null".to_string()),
        f => g[f].to_string(),
    }
}

#[test]
fn heuristic_accuracy_on_the_development_set_stays_above_its_floors() {
    let cases = load(DEV_SET);
    assert!(
        cases.len() >= 80,
        "the labelled set has {} replies, want at least 80",
        cases.len()
    );
    evaluate("development set (tuned on)", &cases, DEV_FLOORS);
}

#[test]
fn heuristic_accuracy_on_the_holdout_set_stays_above_its_floors() {
    let cases = load(HOLDOUT_SET);
    assert!(
        cases.len() >= 40,
        "the held-out set has {} replies",
        cases.len()
    );
    evaluate("held-out set (never tuned on)", &cases, HOLDOUT_FLOORS);
}

fn evaluate(name: &str, cases: &[Case], floors: &[(&str, f64)]) {
    let analyzer = HeuristicAnalyzer::new();
    let ctx = AnalysisContext {
        account_lang: Some("en".to_string()),
        ..AnalysisContext::default()
    };
    let mut hits: BTreeMap<&str, usize> = BTreeMap::new();
    let mut misses: Vec<String> = Vec::new();
    let mut per_lang: BTreeMap<String, (usize, usize)> = BTreeMap::new();
    for case in cases {
        let got = analyzer.analyze_text(&case.text, &ctx);
        let lang = case.expected["lang"]
            .as_str()
            .unwrap_or_default()
            .to_string();
        for (field, _) in floors {
            let ok = field_matches(field, &got, &case.expected);
            if ok {
                *hits.entry(field).or_default() += 1;
            }
            if !is_exact(field) {
                continue;
            }
            let entry = per_lang.entry(lang.clone()).or_default();
            entry.1 += 1;
            if ok {
                entry.0 += 1;
            } else {
                misses.push(format!(
                    "{:<6} {:<18} got {} want {}",
                    case.id,
                    field,
                    shown(field, &got),
                    case.expected[*field]
                ));
            }
        }
    }
    let n = cases.len() as f64;
    println!("\nheuristic analyzer, {name}: {} replies", cases.len());
    println!("{:<28} {:>8} {:>8}", "field", "accuracy", "floor");
    let mut failures = Vec::new();
    for (field, floor) in floors {
        let acc = *hits.get(field).unwrap_or(&0) as f64 / n;
        println!("{field:<28} {:>7.1}% {:>7.1}%", acc * 100.0, floor * 100.0);
        if acc < *floor {
            failures.push(format!(
                "{field}: {:.1}% < floor {:.1}%",
                acc * 100.0,
                floor * 100.0
            ));
        }
    }
    println!("\nper language (exact fields together)");
    for (lang, (ok, total)) in &per_lang {
        println!(
            "{lang:<4} {:>7.1}% of {total}",
            *ok as f64 / *total as f64 * 100.0
        );
    }
    println!("\nmismatches:");
    for m in &misses {
        println!("  {m}");
    }
    assert!(
        failures.is_empty(),
        "{name}: fields below their floor: {failures:?}"
    );
}
