//! The email corpus: every `tests/corpus/**/*.eml` is parsed, classified, scanned for a reply
//! token and stripped to its reply, and each field its `.json` twin states is compared.
//!
//! The run prints accuracy per field and per tag, then every failing case with what was expected
//! and what came out, and fails if any checked field is wrong. `CORPUS_FILTER=fr/` (a substring of
//! the path relative to `tests/corpus/`) runs a subset. See `tests/corpus/README.md` for the format.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::fs;
use std::panic::{self, AssertUnwindSafe};
use std::path::{Path, PathBuf};

use replytrack::address::{ScanOptions, scan};
use replytrack::message::{ClassifyOptions, InboundMessage, Limits, classify};
use replytrack::reply::extract;
use serde_json::Value;

/// The fields a case may state, in report order.
const FIELDS: &[&str] = &[
    "kind",
    "token",
    "token_source",
    "from",
    "subject",
    "reply_text",
    "quoted_present",
    "signature_present",
    "only_quote",
    "lang",
    "attachments",
    "mailing_list",
    "bounce_hard",
    "failed_recipients",
];

/// Keys allowed in a case file besides the fields.
const META: &[&str] = &["tags"];

/// Without a filter the corpus must hold at least this many cases.
const MIN_CASES: usize = 150;

fn corpus_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/corpus")
}

fn collect_emls(dir: &Path, out: &mut Vec<PathBuf>) -> Result<(), String> {
    let entries = fs::read_dir(dir).map_err(|e| format!("cannot read {}: {e}", dir.display()))?;
    for entry in entries {
        let path = entry
            .map_err(|e| format!("cannot list {}: {e}", dir.display()))?
            .path();
        if path.is_dir() {
            collect_emls(&path, out)?;
        } else if path.extension().is_some_and(|x| x == "eml") {
            out.push(path);
        }
    }
    Ok(())
}

/// Reply text as compared: CRLF → LF, no trailing whitespace on a line, no leading or trailing
/// blank lines, runs of blank lines collapsed to one.
fn normalise_text(text: &str) -> String {
    let text = text.replace("\r\n", "\n").replace('\r', "\n");
    let mut lines: Vec<&str> = Vec::new();
    for line in text.split('\n').map(str::trim_end) {
        if line.is_empty() && lines.last().is_none_or(|l| l.is_empty()) {
            continue;
        }
        lines.push(line);
    }
    while lines.last().is_some_and(|l| l.is_empty()) {
        lines.pop();
    }
    lines.join("\n")
}

/// What the library says about one raw message, field by field.
fn actual_fields(raw: &[u8]) -> Result<BTreeMap<&'static str, Value>, String> {
    let msg =
        InboundMessage::parse(raw, &Limits::default()).map_err(|e| format!("parse error: {e}"))?;
    let class = classify(
        &msg,
        &ClassifyOptions {
            own_domains: vec!["example.com".into()],
            own_addresses: vec!["noreply@example.com".into()],
        },
    );
    let found = scan(
        &msg,
        &ScanOptions {
            domain: "reply.example.com".into(),
        },
    );
    let reply = extract(&msg);
    let mut out = BTreeMap::new();
    out.insert("kind", to_value(&class.kind));
    match &found {
        Some(m) => {
            out.insert("token", Value::String(m.token.clone()));
            out.insert("token_source", to_value(&m.source));
        }
        None => {
            out.insert("token", Value::Null);
            out.insert("token_source", Value::String("none".into()));
        }
    }
    out.insert(
        "from",
        msg.from
            .as_ref()
            .map_or(Value::Null, |m| Value::String(m.address.to_lowercase())),
    );
    out.insert(
        "subject",
        msg.subject.clone().map_or(Value::Null, Value::String),
    );
    out.insert("reply_text", Value::String(normalise_text(&reply.text)));
    let present = |s: &Option<String>| s.as_deref().is_some_and(|s| !s.trim().is_empty());
    out.insert("quoted_present", Value::Bool(present(&reply.quoted)));
    out.insert("signature_present", Value::Bool(present(&reply.signature)));
    out.insert("only_quote", Value::Bool(reply.only_quote));
    out.insert(
        "lang",
        reply.lang.clone().map_or(Value::Null, Value::String),
    );
    out.insert("attachments", Value::from(msg.attachments.len()));
    out.insert("mailing_list", Value::Bool(class.mailing_list));
    out.insert(
        "bounce_hard",
        class
            .bounce
            .as_ref()
            .map_or(Value::Null, |b| Value::Bool(b.hard)),
    );
    out.insert(
        "failed_recipients",
        class.bounce.as_ref().map_or(Value::Null, |b| {
            Value::Array(
                sorted_lower(b.failed_recipients.iter().map(String::as_str))
                    .into_iter()
                    .map(Value::String)
                    .collect(),
            )
        }),
    );
    Ok(out)
}

/// Serialising the library's enums through serde gives the names the case files use.
fn to_value<T: serde::Serialize>(v: &T) -> Value {
    serde_json::to_value(v).unwrap_or_else(|e| Value::String(format!("<unserialisable: {e}>")))
}

fn sorted_lower<'a>(items: impl Iterator<Item = &'a str>) -> Vec<String> {
    let mut v: Vec<String> = items.map(|s| s.trim().to_lowercase()).collect();
    v.sort();
    v
}

/// Norwegian: a detector may say `nb` (Bokmål), `nn` or `no`; the corpus writes `no`.
fn same_lang(expected: &str, actual: &str) -> bool {
    let canon = |l: &str| match l {
        "nb" | "nn" | "no" => "no".to_string(),
        other => other.to_lowercase(),
    };
    canon(expected) == canon(actual)
}

fn field_matches(field: &str, expected: &Value, actual: &Value) -> bool {
    match (field, expected, actual) {
        ("reply_text", Value::String(e), Value::String(a)) => normalise_text(e) == *a,
        ("from", Value::String(e), Value::String(a)) => e.to_lowercase() == *a,
        ("lang", Value::String(e), Value::String(a)) => same_lang(e, a),
        ("failed_recipients", Value::Array(e), Value::Array(a)) => {
            let e = sorted_lower(e.iter().filter_map(Value::as_str));
            let a = sorted_lower(a.iter().filter_map(Value::as_str));
            e == a
        }
        _ => expected == actual,
    }
}

fn show(v: &Value) -> String {
    match v {
        Value::String(s) if s.contains('\n') => format!("\n    ┌────\n{}\n    └────", indent(s)),
        Value::String(s) => format!("{s:?}"),
        other => other.to_string(),
    }
}

fn indent(s: &str) -> String {
    s.lines()
        .map(|l| format!("    │{l}"))
        .collect::<Vec<_>>()
        .join("\n")
}

#[derive(Default)]
struct Tally {
    checked: usize,
    passed: usize,
}

impl Tally {
    fn add(&mut self, ok: bool) {
        self.checked += 1;
        if ok {
            self.passed += 1;
        }
    }

    fn pct(&self) -> f64 {
        if self.checked == 0 {
            100.0
        } else {
            self.passed as f64 * 100.0 / self.checked as f64
        }
    }
}

/// One case's outcome: the failures, each already formatted.
struct CaseResult {
    name: String,
    tags: Vec<String>,
    failures: Vec<String>,
}

fn run_case(eml: &Path, root: &Path, fields: &mut BTreeMap<&'static str, Tally>) -> CaseResult {
    let name = eml
        .strip_prefix(root)
        .unwrap_or(eml)
        .with_extension("")
        .to_string_lossy()
        .replace('\\', "/");
    let mut result = CaseResult {
        name,
        tags: Vec::new(),
        failures: Vec::new(),
    };
    let json_path = eml.with_extension("json");
    let expected: Value = match fs::read_to_string(&json_path)
        .map_err(|e| format!("cannot read {}: {e}", json_path.display()))
        .and_then(|s| {
            serde_json::from_str(&s)
                .map_err(|e| format!("{} is not JSON: {e}", json_path.display()))
        }) {
        Ok(v) => v,
        Err(e) => {
            result.failures.push(e);
            return result;
        }
    };
    let Some(expected) = expected.as_object() else {
        result
            .failures
            .push(format!("{} is not a JSON object", json_path.display()));
        return result;
    };
    for key in expected.keys() {
        if !FIELDS.contains(&key.as_str()) && !META.contains(&key.as_str()) {
            result
                .failures
                .push(format!("unknown key {key:?} in {}", json_path.display()));
        }
    }
    result.tags = expected
        .get("tags")
        .and_then(Value::as_array)
        .map(|a| {
            a.iter()
                .filter_map(Value::as_str)
                .map(String::from)
                .collect()
        })
        .unwrap_or_default();

    let raw = match fs::read(eml) {
        Ok(raw) => raw,
        Err(e) => {
            result
                .failures
                .push(format!("cannot read {}: {e}", eml.display()));
            return result;
        }
    };
    let actual = match panic::catch_unwind(AssertUnwindSafe(|| actual_fields(&raw))) {
        Ok(Ok(actual)) => Ok(actual),
        Ok(Err(e)) => Err(e),
        Err(_) => Err("the library panicked on this message".to_string()),
    };
    for &field in FIELDS {
        let Some(want) = expected.get(field) else {
            continue;
        };
        let tally = fields.entry(field).or_default();
        match &actual {
            Ok(actual) => {
                let got = actual.get(field).unwrap_or(&Value::Null);
                let ok = field_matches(field, want, got);
                tally.add(ok);
                if !ok {
                    result.failures.push(format!(
                        "{field}:\n  expected: {}\n  actual:   {}",
                        show(want),
                        show(got)
                    ));
                }
            }
            Err(e) => {
                tally.add(false);
                result.failures.push(format!("{field}: no result ({e})"));
            }
        }
    }
    result
}

#[test]
fn corpus_matches_expected_results() {
    let root = corpus_dir();
    let filter = std::env::var("CORPUS_FILTER").unwrap_or_default();
    let mut emls = Vec::new();
    if let Err(e) = collect_emls(&root, &mut emls) {
        panic!("{e}");
    }
    emls.sort();

    let mut report = String::new();
    let mut orphans = Vec::new();
    // A .json without its .eml is a mistake too.
    let mut jsons = Vec::new();
    collect_json(&root, &mut jsons);
    for j in &jsons {
        if !j.with_extension("eml").exists() {
            orphans.push(j.display().to_string());
        }
    }

    let selected: Vec<&PathBuf> = emls
        .iter()
        .filter(|p| {
            filter.is_empty()
                || p.strip_prefix(&root)
                    .unwrap_or(p)
                    .to_string_lossy()
                    .contains(filter.as_str())
        })
        .collect();
    assert!(
        !selected.is_empty(),
        "no corpus case under {} matches CORPUS_FILTER={filter:?}",
        root.display()
    );
    if filter.is_empty() {
        assert!(
            selected.len() >= MIN_CASES,
            "the corpus holds {} cases, fewer than {MIN_CASES}",
            selected.len()
        );
    }

    let mut fields: BTreeMap<&'static str, Tally> = BTreeMap::new();
    let mut tags: BTreeMap<String, Tally> = BTreeMap::new();
    let mut results = Vec::new();
    for eml in selected {
        let r = run_case(eml, &root, &mut fields);
        for tag in &r.tags {
            tags.entry(tag.clone())
                .or_default()
                .add(r.failures.is_empty());
        }
        results.push(r);
    }

    let cases_ok = results.iter().filter(|r| r.failures.is_empty()).count();
    let _ = writeln!(
        report,
        "\ncorpus: {} cases{}, {} fully correct ({:.1}%)\n",
        results.len(),
        if filter.is_empty() {
            String::new()
        } else {
            format!(" matching {filter:?}")
        },
        cases_ok,
        cases_ok as f64 * 100.0 / results.len() as f64
    );
    let _ = writeln!(
        report,
        "{:<20} {:>8} {:>8} {:>8}",
        "field", "checked", "passed", "%"
    );
    for &field in FIELDS {
        if let Some(t) = fields.get(field) {
            let _ = writeln!(
                report,
                "{field:<20} {:>8} {:>8} {:>7.1}%",
                t.checked,
                t.passed,
                t.pct()
            );
        }
    }
    let _ = writeln!(
        report,
        "\n{:<34} {:>6} {:>8} {:>8}",
        "tag", "cases", "correct", "%"
    );
    for (tag, t) in &tags {
        let _ = writeln!(
            report,
            "{tag:<34} {:>6} {:>8} {:>7.1}%",
            t.checked,
            t.passed,
            t.pct()
        );
    }

    let failing: Vec<&CaseResult> = results.iter().filter(|r| !r.failures.is_empty()).collect();
    if !failing.is_empty() {
        let _ = writeln!(report, "\nfailing cases ({}):", failing.len());
        for r in &failing {
            let _ = writeln!(report, "\n● {}", r.name);
            for f in &r.failures {
                let _ = writeln!(report, "  {}", f.replace('\n', "\n  "));
            }
        }
    }
    for o in &orphans {
        let _ = writeln!(report, "\n● {o}: a .json without its .eml");
    }
    println!("{report}");

    let field_failures: usize = fields.values().map(|t| t.checked - t.passed).sum();
    assert!(
        failing.is_empty() && orphans.is_empty(),
        "{} of {} corpus cases failed ({field_failures} field checks); see the report above",
        failing.len() + orphans.len(),
        results.len()
    );
}

fn collect_json(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            collect_json(&path, out);
        } else if path.extension().is_some_and(|x| x == "json") {
            out.push(path);
        }
    }
}
