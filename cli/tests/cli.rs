//! The CLI contract: JSON lines out, exit 0/1/2, one-line usage errors.
#![allow(clippy::unwrap_used)] // test helpers: a failed unwrap is a failed test

use std::process::{Command, Output};

use serde_json::Value;

const SECRET: &str = "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f";

fn run(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_replytrack"))
        .args(args)
        .env_remove("REPLYTRACK_SECRET")
        .output()
        .expect("the binary runs")
}

fn json_lines(out: &Output) -> Vec<Value> {
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(|l| serde_json::from_str(l).expect("each stdout line is JSON"))
        .collect()
}

fn issue(now: &str) -> Value {
    let out = run(&["token", "issue", "--secret-hex", SECRET, "--now", now]);
    assert!(out.status.success());
    json_lines(&out).remove(0)
}

#[test]
fn token_issue_prints_token_address_and_dates() {
    let v = issue("2026-03-03T10:12:00Z");
    let token = v["token"].as_str().unwrap();
    assert_eq!(token.len(), 16);
    assert_eq!(v["address"], format!("reply+{token}@reply.example.com"));
    assert_eq!(v["issued_at"], "2026-03-03T00:00:00+00:00");
    assert_eq!(v["expires_at"], "2026-06-01T00:00:00+00:00");
}

#[test]
fn token_verify_accepts_a_token_or_an_address() {
    let v = issue("2026-03-03T10:12:00Z");
    for input in [v["token"].as_str().unwrap(), v["address"].as_str().unwrap()] {
        let out = run(&[
            "token",
            "verify",
            input,
            "--secret-hex",
            SECRET,
            "--now",
            "2026-04-01T00:00:00Z",
        ]);
        assert_eq!(out.status.code(), Some(0), "{input}");
        let r = &json_lines(&out)[0];
        assert_eq!(r["valid"], true);
        assert_eq!(r["token"], v["token"]);
        assert_eq!(r["expires_at"], v["expires_at"]);
    }
}

#[test]
fn token_verify_refusals_exit_1_with_a_reason() {
    let v = issue("2026-03-03T10:12:00Z");
    let token = v["token"].as_str().unwrap();
    let mut forged: Vec<char> = token.chars().collect();
    forged[15] = if forged[15] == 'z' { 'y' } else { 'z' };
    let forged: String = forged.into_iter().collect();
    let cases = [
        (token, "2026-07-01T00:00:00Z", "expired"),
        (forged.as_str(), "2026-04-01T00:00:00Z", "forged"),
        ("not-a-token", "2026-04-01T00:00:00Z", "malformed"),
    ];
    for (input, now, reason) in cases {
        let out = run(&[
            "token",
            "verify",
            input,
            "--secret-hex",
            SECRET,
            "--now",
            now,
        ]);
        assert_eq!(out.status.code(), Some(1), "{input}");
        let r = &json_lines(&out)[0];
        assert_eq!(r["valid"], false);
        assert_eq!(r["reason"], reason);
        assert!(r["message"].as_str().unwrap().len() > 5);
    }
}

#[test]
fn secret_can_come_from_the_environment() {
    let out = Command::new(env!("CARGO_BIN_EXE_replytrack"))
        .args(["token", "issue"])
        .env("REPLYTRACK_SECRET", SECRET)
        .output()
        .unwrap();
    assert!(out.status.success());
}

#[test]
fn bad_arguments_exit_2_with_one_line() {
    for args in [
        vec!["token", "issue", "--bogus"],
        vec!["token", "issue"],
        vec!["token", "issue", "--secret-hex", "zz"],
        vec![
            "token",
            "issue",
            "--secret-hex",
            SECRET,
            "--now",
            "yesterday",
        ],
        vec!["token", "issue", "--secret-hex", SECRET, "--key-id", "16"],
        vec!["token", "issue", "--secret-hex", SECRET, "--ttl-days", "0"],
    ] {
        let out = run(&args);
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(err.trim_end().lines().count(), 1, "{args:?}: {err}");
        assert!(!err.contains(SECRET), "the secret is never echoed");
    }
}

#[test]
fn every_subcommand_has_help() {
    for args in [
        vec!["--help"],
        vec!["demo", "--help"],
        vec!["token", "--help"],
        vec!["token", "issue", "--help"],
        vec!["token", "verify", "--help"],
        vec!["address", "parse", "--help"],
    ] {
        let out = run(&args);
        assert!(out.status.success(), "{args:?}");
        assert!(String::from_utf8_lossy(&out.stdout).contains("Usage"));
    }
}

#[test]
fn address_parse_prints_one_line_per_value() {
    let out = run(&[
        "address",
        "parse",
        "\"Dupont, Marie\" <REPLY+7K3M9Q2X5C8V1B4N@reply.example.com>",
        "marie@example.fr",
        "reply+7k3m9q2x5c8v1b4n@elsewhere.example",
        "--domain",
        "reply.example.com",
    ]);
    assert!(out.status.success());
    let lines = json_lines(&out);
    assert_eq!(lines.len(), 3);
    assert_eq!(lines[0]["token"], "7k3m9q2x5c8v1b4n");
    assert_eq!(lines[0]["valid_shape"], true);
    assert_eq!(lines[1]["token"], Value::Null);
    assert_eq!(lines[2]["valid_shape"], false);
}

#[test]
fn demo_runs_and_refuses_the_expired_and_forged_replies() {
    let out = run(&["demo", "--json", "--now", "2026-03-03T10:00:00Z"]);
    assert!(out.status.success());
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    let checks = v["tokens"]["checks"].as_array().unwrap();
    let outcomes: Vec<_> = checks
        .iter()
        .map(|c| c["outcome"]["reason"].clone())
        .collect();
    assert_eq!(outcomes, [Value::Null, "expired".into(), "forged".into()]);
    let text = run(&["demo", "--now", "2026-03-03T10:00:00Z"]);
    assert!(text.status.success());
    assert!(String::from_utf8_lossy(&text.stdout).contains("refused: forged"));
}

#[test]
fn demo_analyses_the_stored_replies_and_sums_them_up() {
    let out = run(&["demo", "--json", "--now", "2026-03-03T10:00:00Z"]);
    assert!(out.status.success());
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["analysis"]["analyzer"], "heuristic");
    let replies = v["analysis"]["replies"].as_array().unwrap();
    assert_eq!(
        replies.len(),
        4,
        "Marie's, Juan's, Sarah's and João's replies"
    );
    assert_eq!(replies[0]["analysis"]["response_type"], "high_value");
    assert_eq!(replies[0]["analysis"]["monthly_volume"]["value"], 5000);
    assert_eq!(replies[1]["analysis"]["response_type"], "needs_attention");
    assert_eq!(replies[1]["analysis"]["references"][0]["id"], "2024-118");
    assert_eq!(v["insights"]["analysed"], 4);
    assert_eq!(v["insights"]["by_response_type"]["high_value"], 1);
    assert!(v["insights"]["average_opportunity_score"].is_number());
    let marie_events: Vec<&str> = v["inbox"]["timelines"][0]["events"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["type"].as_str().unwrap())
        .collect();
    assert!(marie_events.contains(&"analysis_completed"));
    assert!(marie_events.contains(&"note_added"));

    let text = run(&["demo", "--now", "2026-03-03T10:00:00Z"]);
    let text = String::from_utf8_lossy(&text.stdout);
    assert!(text.contains("analysis_completed   high_value · sentiment positive"));
    assert!(text.contains("Insights over 4 analysed replies"));
    assert!(text.contains("follow-ups needed  4"));
}
