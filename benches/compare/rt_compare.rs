//! replytrack's side of the library comparison (`benches/compare/run.sh`).
//!
//! Reads every `tests/corpus/**/*.eml`, and writes into the output directory:
//!
//! - `inputs.jsonl`: one line per message, the inputs every library gets: the text body as
//!   replytrack decodes it (`text`), whether that text was derived from the HTML part
//!   (`text_from_html`), the HTML body (`html`), and the expected values from the `.json` twin
//!   (`expected_reply`, `expected_from`, `expected_subject`, `quoted_present`, `kind`).
//! - `replytrack.json`: replytrack's answers per message (`extract` on the parsed message, which
//!   may read the HTML part; `extract_text` on the same text the other libraries get; From,
//!   Subject, text body from `InboundMessage::parse`) and its timings.
//!
//! Timings are CPU time of this thread (`/proc/thread-self/schedstat`, wall time where that is
//! unavailable), median of several rounds over the whole set, so other processes on a loaded
//! machine slow the numbers less than wall time would.
//!
//! Usage: `rt-compare CORPUS_DIR OUT_DIR [ROUNDS]`.
//!
//! `rt-compare html-to-text IN.json OUT.json` renders other libraries' HTML answers as text for
//! scoring: IN is `{"library": {"case": "<html>" | null}}`, OUT the same with
//! `replytrack::html::html_to_text` applied (the rule the corpus's expected text follows).

use std::fs;
use std::hint::black_box;
use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

use replytrack::message::{InboundMessage, Limits};
use replytrack::reply::{extract, extract_text};
use serde_json::{Value, json};

fn collect(dir: &Path, out: &mut Vec<PathBuf>) -> std::io::Result<()> {
    for entry in fs::read_dir(dir)? {
        let path = entry?.path();
        if path.is_dir() {
            collect(&path, out)?;
        } else if path.extension().is_some_and(|x| x == "eml") {
            out.push(path);
        }
    }
    Ok(())
}

/// Nanoseconds this thread has spent on a CPU, or wall-clock nanoseconds since `start` when the
/// kernel does not say.
fn cpu_ns(start: Instant) -> u128 {
    fs::read_to_string("/proc/thread-self/schedstat")
        .ok()
        .and_then(|s| s.split_whitespace().next()?.parse::<u128>().ok())
        .unwrap_or_else(|| start.elapsed().as_nanos())
}

/// Runs `f` over the whole set `rounds` times; returns the median round in seconds.
fn median_round(rounds: usize, mut f: impl FnMut() -> usize) -> f64 {
    let origin = Instant::now();
    let mut times: Vec<u128> = Vec::with_capacity(rounds);
    black_box(f()); // warm-up
    for _ in 0..rounds {
        let t0 = cpu_ns(origin);
        black_box(f());
        times.push(cpu_ns(origin).saturating_sub(t0));
    }
    times.sort_unstable();
    times.get(times.len() / 2).copied().unwrap_or(0) as f64 / 1e9
}

struct Case {
    name: String,
    raw: Vec<u8>,
    expected: Value,
}

fn run(corpus: &Path, out_dir: &Path, rounds: usize) -> Result<(), String> {
    let mut files = Vec::new();
    collect(corpus, &mut files).map_err(|e| format!("cannot list {}: {e}", corpus.display()))?;
    files.sort();
    let mut cases = Vec::new();
    for path in &files {
        let raw = fs::read(path).map_err(|e| format!("cannot read {}: {e}", path.display()))?;
        let json_path = path.with_extension("json");
        let expected: Value = fs::read_to_string(&json_path)
            .ok()
            .and_then(|s| serde_json::from_str(&s).ok())
            .unwrap_or(Value::Null);
        let name = path
            .strip_prefix(corpus)
            .unwrap_or(path)
            .with_extension("")
            .to_string_lossy()
            .replace('\\', "/");
        cases.push(Case {
            name,
            raw,
            expected,
        });
    }
    if cases.is_empty() {
        return Err(format!("no .eml files under {}", corpus.display()));
    }
    fs::create_dir_all(out_dir).map_err(|e| format!("cannot create {}: {e}", out_dir.display()))?;

    let limits = Limits::default();
    let mut inputs = Vec::new();
    let mut answers = Vec::new();
    let mut parsed = Vec::new();
    for case in &cases {
        let msg = InboundMessage::parse(&case.raw, &limits).ok();
        let text = msg
            .as_ref()
            .and_then(|m| m.text_body.clone())
            .unwrap_or_default();
        let e = &case.expected;
        inputs.push(json!({
            "name": case.name,
            "text": text,
            "text_from_html": msg.as_ref().is_some_and(|m| m.text_from_html),
            "html": msg.as_ref().and_then(|m| m.html_body.clone()),
            "expected_reply": e.get("reply_text"),
            "expected_from": e.get("from"),
            "expected_subject": e.get("subject"),
            "quoted_present": e.get("quoted_present"),
            "kind": e.get("kind"),
        }));
        answers.push(json!({
            "name": case.name,
            "parsed": msg.is_some(),
            "extract": msg.as_ref().map(|m| extract(m).text),
            "extract_text": extract_text(&text).text,
            "from": msg.as_ref().and_then(|m| m.from.as_ref()).map(|f| f.address.clone()),
            "subject": msg.as_ref().and_then(|m| m.subject.clone()),
            "text": msg.as_ref().and_then(|m| m.text_body.clone()),
        }));
        parsed.push((msg, text, e.get("reply_text").is_some()));
    }

    // Timing sets: every message for parsing, the messages with an expected reply for extraction.
    let texts: Vec<&str> = parsed
        .iter()
        .filter(|p| p.2)
        .map(|p| p.1.as_str())
        .collect();
    let msgs: Vec<&InboundMessage> = parsed
        .iter()
        .filter(|p| p.2)
        .filter_map(|p| p.0.as_ref())
        .collect();
    let parse_s = median_round(rounds, || {
        cases
            .iter()
            .filter_map(|c| InboundMessage::parse(&c.raw, &limits).ok())
            .map(|m| m.text_body.map_or(0, |t| t.len()))
            .sum()
    });
    let extract_text_s = median_round(rounds, || {
        texts.iter().map(|t| extract_text(t).text.len()).sum()
    });
    let extract_s = median_round(rounds, || msgs.iter().map(|m| extract(m).text.len()).sum());

    let mut f = fs::File::create(out_dir.join("inputs.jsonl"))
        .map_err(|e| format!("cannot write inputs.jsonl: {e}"))?;
    for line in &inputs {
        writeln!(f, "{line}").map_err(|e| format!("cannot write inputs.jsonl: {e}"))?;
    }
    let report = json!({
        "library": "replytrack",
        "version": env!("CARGO_PKG_VERSION"),
        "answers": answers,
        "timing": {
            "rounds": rounds,
            "parse": { "messages": cases.len(), "seconds": parse_s },
            "extract_text": { "messages": texts.len(), "seconds": extract_text_s },
            "extract": { "messages": msgs.len(), "seconds": extract_s },
        },
    });
    fs::write(out_dir.join("replytrack.json"), report.to_string())
        .map_err(|e| format!("cannot write replytrack.json: {e}"))?;
    eprintln!(
        "replytrack: {} messages; parse {:.0}/s, extract_text {:.0}/s, extract {:.0}/s",
        cases.len(),
        cases.len() as f64 / parse_s.max(1e-12),
        texts.len() as f64 / extract_text_s.max(1e-12),
        msgs.len() as f64 / extract_s.max(1e-12),
    );
    Ok(())
}

/// Renders every HTML string of `{"library": {"case": html}}` as text.
fn html_to_text_file(input: &Path, output: &Path) -> Result<(), String> {
    let text =
        fs::read_to_string(input).map_err(|e| format!("cannot read {}: {e}", input.display()))?;
    let mut doc: Value =
        serde_json::from_str(&text).map_err(|e| format!("{} is not JSON: {e}", input.display()))?;
    if let Some(libraries) = doc.as_object_mut() {
        for answers in libraries.values_mut().filter_map(Value::as_object_mut) {
            for answer in answers.values_mut() {
                if let Some(html) = answer.as_str() {
                    *answer = Value::String(replytrack::html::html_to_text(html));
                }
            }
        }
    }
    fs::write(output, doc.to_string())
        .map_err(|e| format!("cannot write {}: {e}", output.display()))
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().collect();
    if args.get(1).map(String::as_str) == Some("html-to-text") {
        let (Some(input), Some(output)) = (args.get(2), args.get(3)) else {
            eprintln!("usage: rt-compare html-to-text IN.json OUT.json");
            return ExitCode::from(2);
        };
        return match html_to_text_file(Path::new(input), Path::new(output)) {
            Ok(()) => ExitCode::SUCCESS,
            Err(e) => {
                eprintln!("rt-compare: {e}");
                ExitCode::FAILURE
            }
        };
    }
    let (Some(corpus), Some(out)) = (args.get(1), args.get(2)) else {
        eprintln!("usage: rt-compare CORPUS_DIR OUT_DIR [ROUNDS]");
        return ExitCode::from(2);
    };
    let rounds = args.get(3).and_then(|r| r.parse().ok()).unwrap_or(21);
    match run(Path::new(corpus), Path::new(out), rounds) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("rt-compare: {e}");
            ExitCode::FAILURE
        }
    }
}
