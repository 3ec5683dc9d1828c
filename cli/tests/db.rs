//! The database commands driven as a user would: `demo`, `send`, `ingest`, `worker`, `timeline`,
//! `conversations`, `insights`, `customers`, each a separate process over the same database.
#![allow(clippy::unwrap_used)] // test helpers: a failed unwrap is a failed test

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use serde_json::Value;

const SECRET: &str = "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f";

/// A fresh directory for one test, removed when dropped.
struct TempDir(PathBuf);

impl TempDir {
    fn new(label: &str) -> Self {
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .as_nanos();
        let dir =
            std::env::temp_dir().join(format!("rt-cli-{label}-{}-{nanos:x}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        Self(dir)
    }

    fn path(&self, name: &str) -> PathBuf {
        self.0.join(name)
    }

    fn s(&self, name: &str) -> String {
        self.path(name).display().to_string()
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn cmd() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_replytrack"));
    c.env("REPLYTRACK_SECRET", SECRET)
        .env_remove("REPLYTRACK_DB")
        .env_remove("REPLYTRACK_DOMAIN")
        .env_remove("REPLYTRACK_PG_SCHEMA")
        .env_remove("REPLYTRACK_FROM")
        .env_remove("REPLYTRACK_FORWARD_TO");
    c
}

fn run(args: &[&str]) -> Output {
    cmd().args(args).output().expect("the binary runs")
}

fn ok(args: &[&str]) -> Output {
    let out = run(args);
    assert!(
        out.status.success(),
        "{args:?} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    out
}

fn stdout(out: &Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn json_lines(out: &Output) -> Vec<Value> {
    stdout(out)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("not JSON: {l}: {e}")))
        .collect()
}

fn corpus(rel: &str) -> String {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../tests/corpus")
        .join(rel)
        .display()
        .to_string()
}

fn outcomes(v: &Value) -> Vec<String> {
    v["inbox"]["ingest"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["outcome"].as_str().unwrap().to_string())
        .collect()
}

#[test]
fn demo_runs_on_a_temporary_sqlite_database_and_removes_it() {
    let out = ok(&["demo", "--json", "--now", "2026-03-03T10:00:00Z"]);
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["store"]["kind"], "sqlite");
    assert_eq!(v["store"]["temporary"], true);
    assert_eq!(v["store"]["kept"], false);
    let target = v["store"]["target"].as_str().unwrap();
    let path = target.strip_prefix("sqlite:").unwrap();
    assert!(!Path::new(path).exists(), "{path} is removed at the end");
    let got = outcomes(&v);
    for expected in [
        "stored",
        "duplicate",
        "rejected",
        "expired",
        "quarantined",
        "bounce_recorded",
        "auto_reply_recorded",
    ] {
        assert!(got.iter().any(|o| o == expected), "{expected} in {got:?}");
    }
    assert_eq!(got.iter().filter(|o| *o == "stored").count(), 4);
    let cases: Vec<&str> = v["inbox"]["ingest"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["case"].as_str().unwrap())
        .collect();
    for sample in [
        "Gmail",
        "Outlook",
        "Apple Mail",
        "Portuguese",
        "French",
        "Spanish",
    ] {
        assert!(cases.iter().any(|c| c.contains(sample)), "{sample}");
    }
    let forged = &v["inbox"]["ingest"][6];
    assert_eq!(forged["outcome"], "rejected");
    assert!(forged["explain"].as_str().unwrap().contains("signature"));
    // Every reply language made it through extraction.
    let langs: Vec<&str> = v["inbox"]["ingest"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|c| c["reply"]["lang"].as_str())
        .collect();
    for lang in ["fr", "es", "pt", "en"] {
        assert!(langs.contains(&lang), "{lang} in {langs:?}");
    }
    assert_eq!(v["inbox"]["forwards_sent"], 4);
    assert_eq!(v["analysis"]["run"]["analysed"], 4);
    assert_eq!(v["insights"]["analysed"], 4);
    assert_eq!(v["inbox"]["timelines"].as_array().unwrap().len(), 6);
}

#[test]
fn demo_keeps_its_database_and_writes_the_outbox_for_other_commands_to_read() {
    let dir = TempDir::new("demo-keep");
    let db = dir.s("demo.db");
    let outbox = dir.s("outbox");
    let text = stdout(&ok(&[
        "demo",
        "--db",
        &db,
        "--outbox",
        &outbox,
        "--now",
        "2026-03-03T10:00:00Z",
    ]));
    assert!(text.contains("7. The insights dashboard"), "{text}");
    assert!(text.contains("Portuguese reply from Apple Mail"));
    let files: Vec<_> = std::fs::read_dir(&outbox).unwrap().collect();
    assert_eq!(files.len(), 7 + 4, "7 outgoing emails and 4 forwards");
    // Another process reads the same database.
    let events = json_lines(&ok(&[
        "timeline",
        "--db",
        &db,
        "--customer",
        "marie@boulangerie-dupont.fr",
        "--json",
    ]));
    let kinds: Vec<&str> = events.iter().map(|e| e["type"].as_str().unwrap()).collect();
    assert!(kinds.contains(&"reply_received") && kinds.contains(&"analysis_completed"));
    // The demo does not run twice on the same database: its story needs fresh customers.
    let again = run(&["demo", "--db", &db, "--now", "2026-03-03T10:00:00Z"]);
    assert_eq!(again.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&again.stderr).contains("fresh database"));
    let high = json_lines(&ok(&[
        "conversations",
        "--db",
        &db,
        "--label",
        "high-value",
        "--json",
    ]));
    assert!(!high[0]["conversations"].as_array().unwrap().is_empty());
}

#[test]
fn demo_with_keep_leaves_the_temporary_database() {
    let out = ok(&["demo", "--json", "--keep", "--now", "2026-03-03T10:00:00Z"]);
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["store"]["kept"], true);
    let path = v["store"]["target"]
        .as_str()
        .unwrap()
        .strip_prefix("sqlite:")
        .unwrap()
        .to_string();
    assert!(Path::new(&path).exists());
    std::fs::remove_dir_all(Path::new(&path).parent().unwrap()).unwrap();
}

/// `send` an email to Marie; returns (reply address, Message-ID with brackets).
fn send_to_marie(db: &str, out: &str) -> (String, String) {
    let v = json_lines(&ok(&[
        "send",
        "--db",
        db,
        "--to",
        "Marie@Example.FR",
        "--name",
        "Marie Dupont",
        "--subject",
        "Votre essai se termine",
        "--text",
        "Bonjour Marie, votre essai se termine dans 3 jours.",
        "--out",
        out,
        "--json",
    ]))
    .remove(0);
    assert_eq!(v["customer_created"], true);
    let eml = std::fs::read_to_string(out).unwrap();
    let reply_to = eml
        .lines()
        .find_map(|l| l.strip_prefix("Reply-To: "))
        .unwrap();
    let address = v["reply_address"].as_str().unwrap().to_string();
    assert!(reply_to.contains(&address), "{reply_to}");
    (address, format!("<{}>", v["message_id"].as_str().unwrap()))
}

fn reply(address: &str, in_reply_to: &str, id: &str, text: &str) -> String {
    format!(
        "From: Marie Dupont <marie@example.fr>\r\nTo: <{address}>\r\nSubject: Re: Votre essai\r\n\
         Message-ID: <{id}>\r\nIn-Reply-To: {in_reply_to}\r\nContent-Type: text/plain; charset=utf-8\r\n\
         \r\n{text}\r\n"
    )
}

#[test]
fn send_writes_an_eml_whose_reply_to_verifies() {
    let dir = TempDir::new("send");
    let db = dir.s("rt.db");
    let out = dir.s("out.eml");
    let (address, _) = send_to_marie(&db, &out);
    let v = json_lines(&ok(&["token", "verify", &address, "--secret-hex", SECRET])).remove(0);
    assert_eq!(v["valid"], true);
    // Another key or domain refuses it.
    let other = run(&[
        "token",
        "verify",
        &address,
        "--secret-hex",
        &SECRET.replace("00", "ff"),
    ]);
    assert_eq!(other.status.code(), Some(1));
    // The .eml goes to standard output without --out, and the customer is reused.
    let raw = stdout(&ok(&[
        "send",
        "--db",
        &db,
        "--to",
        "marie@example.fr",
        "--subject",
        "Encore",
        "--text",
        "Re-bonjour",
    ]));
    assert!(raw.contains("Reply-To: ") && raw.contains("Re-bonjour"));
    let shown = json_lines(&ok(&[
        "customers",
        "show",
        "marie@example.fr",
        "--db",
        &db,
        "--json",
    ]));
    assert_eq!(shown[0]["name"], "Marie Dupont");
    assert!(shown[0]["current_conversation"].is_string());
}

#[test]
fn ingest_eml_mbox_and_maildir_then_read_back_from_other_processes() {
    let dir = TempDir::new("ingest");
    let db = dir.s("rt.db");
    let (address, mid) = send_to_marie(&db, &dir.s("out.eml"));
    std::fs::write(
        dir.path("r1.eml"),
        reply(
            &address,
            &mid,
            "r1@example.fr",
            "Nous voulons passer au forfait Pro, envoyez-moi un devis.",
        ),
    )
    .unwrap();
    // An mbox of two messages, the second's body with an escaped From line.
    let mbox = format!(
        "From marie@example.fr Tue Mar  3 11:02:00 2026\n{}\nFrom marie@example.fr Tue Mar  3 11:05:00 2026\n{}",
        reply(&address, &mid, "r2@example.fr", "Une question sur le prix.").replace("\r\n", "\n"),
        reply(
            &address,
            &mid,
            "r3@example.fr",
            "Et aussi:\n>From the start, la facture 2024-7 est fausse."
        )
        .replace("\r\n", "\n"),
    );
    std::fs::write(dir.path("box.mbox"), mbox).unwrap();
    for sub in ["cur", "new", "tmp"] {
        std::fs::create_dir_all(dir.path("md").join(sub)).unwrap();
    }
    std::fs::write(
        dir.path("md/new/1700000000.1.host"),
        reply(&address, &mid, "r4@example.fr", "Merci, à bientôt."),
    )
    .unwrap();
    // The same message again (a repeated delivery), and corpus messages signed for another
    // deployment, bounces for strangers and an auto reply.
    std::fs::write(
        dir.path("md/cur/1700000001.2.host:2,S"),
        reply(
            &address,
            &mid,
            "r1@example.fr",
            "Nous voulons passer au forfait Pro, envoyez-moi un devis.",
        ),
    )
    .unwrap();
    let out = ok(&[
        "ingest",
        "--db",
        &db,
        "--json",
        &dir.s("r1.eml"),
        &dir.s("box.mbox"),
        &dir.s("md"),
        &corpus("fr/fr-gmail-simple.eml"),
        &corpus("bounce/bounce-postfix-5.1.1-rfc822.eml"),
        &corpus("auto_reply/auto-exchange-de-auto-replied.eml"),
    ]);
    let lines = json_lines(&out);
    let got: Vec<(&str, &str)> = lines
        .iter()
        .map(|l| {
            (
                l["source"].as_str().unwrap(),
                l["outcome"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(got.len(), 8, "{got:?}");
    assert!(got[0].0.ends_with("r1.eml") && got[0].1 == "stored");
    assert!(got[1].0.ends_with("box.mbox#1") && got[1].1 == "stored");
    assert!(got[2].0.ends_with("box.mbox#2") && got[2].1 == "stored");
    // Maildir: new/ then cur/.
    assert_eq!(got[3].1, "stored");
    assert_eq!(got[4].1, "duplicate");
    assert_eq!(got[5].1, "rejected");
    assert_eq!(lines[5]["reason"], "unknown_key");
    assert_eq!(got[6].1, "bounce_unattributed");
    assert!(
        ["auto_reply_dropped", "auto_reply_recorded"].contains(&got[7].1),
        "{got:?}"
    );
    let conv = lines[0]["conversation"].as_str().unwrap().to_string();

    // The human summary of a second ingest: everything is a duplicate now, exit 0.
    let again = stdout(&ok(&["ingest", "--db", &db, &dir.s("r1.eml")]));
    assert!(again.contains("duplicate"), "{again}");

    // The workers forward to the outbox and analyse.
    let outbox = dir.s("outbox");
    let work = json_lines(&ok(&[
        "worker", "--once", "--json", "--db", &db, "--outbox", &outbox,
    ]));
    let forwards: Vec<&Value> = work.iter().filter(|l| l["worker"] == "forward").collect();
    let analyses: Vec<&Value> = work.iter().filter(|l| l["worker"] == "analysis").collect();
    assert_eq!(forwards.len(), 4);
    assert!(forwards.iter().all(|f| f["sent"] == true));
    for f in &forwards {
        let file = f["mail"]["file"].as_str().unwrap();
        let eml = std::fs::read_to_string(file).unwrap();
        assert!(eml.contains("Reply-To:") && eml.contains("marie@example.fr"));
    }
    assert_eq!(analyses.len(), 4);
    assert!(analyses.iter().all(|a| a["status"] == "analysed"));
    // Drained: a second pass does nothing.
    let idle = stdout(&ok(&["worker", "--once", "--db", &db]));
    assert!(idle.contains("0 forwarded"), "{idle}");

    // Read back from other processes.
    let events = json_lines(&ok(&[
        "timeline",
        "--db",
        &db,
        "--conversation",
        &conv,
        "--json",
    ]));
    let count = |t: &str| events.iter().filter(|e| e["type"] == t).count();
    assert_eq!(count("reply_received"), 4);
    assert_eq!(count("reply_forwarded"), 4);
    assert_eq!(count("analysis_completed"), 4);
    let unescaped = events
        .iter()
        .any(|e| e["detail"].as_str().unwrap().contains("From the start"));
    assert!(unescaped, "the mbox >From line was un-escaped");
    let table = stdout(&ok(&[
        "timeline",
        "--db",
        &db,
        "--customer",
        "marie@example.fr",
    ]));
    assert!(table.contains("reply_received") && table.contains("analysis_completed"));

    let list = json_lines(&ok(&["conversations", "--db", &db, "--json"])).remove(0);
    assert_eq!(list["conversations"].as_array().unwrap().len(), 1);
    assert_eq!(list["conversations"][0]["id"], conv.as_str());
    assert_eq!(list["next_cursor"], Value::Null);
    let page = json_lines(&ok(&[
        "conversations",
        "--db",
        &db,
        "--limit",
        "1",
        "--json",
    ]))
    .remove(0);
    let cursor = page["next_cursor"].as_str().unwrap().to_string();
    let rest = json_lines(&ok(&[
        "conversations",
        "--db",
        &db,
        "--limit",
        "1",
        "--after",
        &cursor,
        "--json",
    ]))
    .remove(0);
    assert!(rest["conversations"].as_array().unwrap().is_empty());
    let found = json_lines(&ok(&[
        "conversations",
        "--db",
        &db,
        "--search",
        "devis",
        "--json",
    ]))
    .remove(0);
    assert_eq!(found["conversations"].as_array().unwrap().len(), 1);
    let none = json_lines(&ok(&[
        "conversations",
        "--db",
        &db,
        "--status",
        "resolved",
        "--json",
    ]))
    .remove(0);
    assert!(none["conversations"].as_array().unwrap().is_empty());

    let insights = json_lines(&ok(&["insights", "--db", &db, "--json"])).remove(0);
    assert_eq!(insights["analysed"], 4);
    assert_eq!(insights["conversations"], 1);
    let future = json_lines(&ok(&[
        "insights",
        "--db",
        &db,
        "--since",
        "2999-01-01",
        "--json",
    ]))
    .remove(0);
    assert_eq!(future["analysed"], 0);
    let dashboard = stdout(&ok(&["insights", "--db", &db]));
    assert!(
        dashboard.contains("Insights over 4 analysed replies"),
        "{dashboard}"
    );
}

#[cfg(unix)]
#[test]
fn worker_polls_until_stopped_and_forwards_what_arrives() {
    use std::io::{BufRead, BufReader};
    use std::process::Stdio;
    let dir = TempDir::new("worker-loop");
    let db = dir.s("rt.db");
    let (address, mid) = send_to_marie(&db, &dir.s("out.eml"));
    std::fs::write(
        dir.path("r.eml"),
        reply(
            &address,
            &mid,
            "loop1@example.fr",
            "Pouvez-vous m'envoyer un devis ?",
        ),
    )
    .unwrap();
    ok(&["ingest", "--db", &db, &dir.s("r.eml")]);
    let mut child = cmd()
        .args([
            "worker",
            "--interval",
            "1",
            "--db",
            &db,
            "--outbox",
            &dir.s("outbox"),
        ])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // The first stderr line says it is polling; its signal handlers are in place by then.
    let mut err = BufReader::new(child.stderr.take().unwrap());
    let mut line = String::new();
    err.read_line(&mut line).unwrap();
    assert!(line.contains("polling every 1s"), "{line}");
    // Wait until the queued forward has been written, then stop it.
    let mut out = BufReader::new(child.stdout.take().unwrap());
    let mut seen = Vec::new();
    while seen
        .iter()
        .filter(|l: &&String| l.starts_with("analysis"))
        .count()
        < 1
    {
        let mut l = String::new();
        assert!(
            out.read_line(&mut l).unwrap() > 0,
            "worker ended early: {seen:?}"
        );
        seen.push(l);
    }
    let killed = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(killed.success());
    let status = child.wait().unwrap();
    assert_eq!(status.code(), Some(0), "stopped cleanly on SIGTERM");
    let mut rest = String::new();
    std::io::Read::read_to_string(&mut out, &mut rest).unwrap();
    assert!(rest.contains("1 forwarded"), "{seen:?} {rest}");
    assert_eq!(std::fs::read_dir(dir.path("outbox")).unwrap().count(), 1);
}

/// A one-request-at-a-time OpenAI-compatible server on loopback that answers every chat
/// completion with `content`, and hands each request it read to `seen`.
fn fake_llm(content: String) -> (String, std::sync::mpsc::Receiver<String>) {
    use std::io::{BufRead, BufReader, Read, Write};
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}/v1", listener.local_addr().unwrap());
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(mut stream) = stream else { return };
            let mut reader = BufReader::new(stream.try_clone().unwrap());
            let mut head = String::new();
            let mut length = 0usize;
            loop {
                let mut line = String::new();
                if reader.read_line(&mut line).unwrap_or(0) == 0 {
                    break;
                }
                if let Some(v) = line.to_ascii_lowercase().strip_prefix("content-length:") {
                    length = v.trim().parse().unwrap_or(0);
                }
                head.push_str(&line);
                if line == "\r\n" {
                    break;
                }
            }
            let mut body = vec![0u8; length];
            reader.read_exact(&mut body).unwrap();
            let _ = tx.send(format!("{head}{}", String::from_utf8_lossy(&body)));
            let answer = serde_json::json!({
                "choices": [{ "message": { "role": "assistant", "content": content },
                              "finish_reason": "stop" }],
                "model": "fake-model",
            })
            .to_string();
            let _ = write!(
                stream,
                "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\
                 Connection: close\r\n\r\n{answer}",
                answer.len()
            );
        }
    });
    (url, rx)
}

#[test]
fn worker_analyses_with_a_model_behind_an_openai_compatible_api() {
    let dir = TempDir::new("llm");
    let db = dir.s("rt.db");
    let (address, mid) = send_to_marie(&db, &dir.s("out.eml"));
    std::fs::write(
        dir.path("r.eml"),
        reply(
            &address,
            &mid,
            "llm1@example.fr",
            "On prend le forfait Pro pour 40 personnes.",
        ),
    )
    .unwrap();
    ok(&["ingest", "--db", &db, &dir.s("r.eml")]);
    let analysis = replytrack::analysis::Analysis {
        response_type: replytrack::analysis::ResponseType::HighValue,
        key_insights: vec!["Buys the Pro plan for 40 people".into()],
        ..replytrack::analysis::Analysis::default()
    };
    let (url, seen) = fake_llm(serde_json::to_string(&analysis).unwrap());
    let out = cmd()
        .env("REPLYTRACK_LLM_API_KEY", "sk-test-not-printed")
        // Loopback, whatever proxy the machine has.
        .env_remove("HTTP_PROXY")
        .env_remove("http_proxy")
        .env_remove("ALL_PROXY")
        .env_remove("all_proxy")
        .args([
            "worker",
            "--once",
            "--json",
            "--db",
            &db,
            "--llm-url",
            &url,
            "--llm-model",
            "test-model",
        ])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let lines = json_lines(&out);
    let analysed: Vec<&Value> = lines.iter().filter(|l| l["worker"] == "analysis").collect();
    assert_eq!(analysed.len(), 1);
    assert_eq!(analysed[0]["status"], "analysed");
    assert_eq!(analysed[0]["detail"], "high_value");
    let request = seen.recv().unwrap();
    assert!(request.contains("Bearer sk-test-not-printed"));
    assert!(request.contains("\"test-model\"") && request.contains("forfait Pro"));
    let all = format!("{}{}", stdout(&out), String::from_utf8_lossy(&out.stderr));
    assert!(!all.contains("sk-test-not-printed"));
    let insights = json_lines(&ok(&["insights", "--db", &db, "--json"])).remove(0);
    assert_eq!(insights["by_response_type"]["high_value"], 1);
    // A URL without a model is a usage error.
    let bad = run(&["worker", "--once", "--db", &db, "--llm-url", &url]);
    assert_eq!(bad.status.code(), Some(2));
}

#[test]
fn the_database_comes_from_the_environment() {
    let dir = TempDir::new("env");
    let out = cmd()
        .current_dir(&dir.0)
        .args([
            "customers",
            "add",
            "ana@example.com.br",
            "--name",
            "Ana",
            "--json",
        ])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    // Default: replytrack.db in the current directory.
    assert!(dir.path("replytrack.db").exists());
    let shown = cmd()
        .env("REPLYTRACK_DB", dir.s("replytrack.db"))
        .args(["customers", "show", "ana@example.com.br", "--json"])
        .output()
        .unwrap();
    assert!(shown.status.success());
    assert_eq!(json_lines(&shown)[0]["name"], "Ana");
}

#[test]
fn refusals_are_outcomes_and_bad_arguments_exit_2() {
    let dir = TempDir::new("errors");
    let db = dir.s("rt.db");
    // Nothing but refusals: exit 0.
    let out = ok(&["ingest", "--db", &db, "--json", &corpus("address")]);
    assert!(json_lines(&out).iter().all(|l| l["outcome"] != "stored"));
    for args in [
        vec!["ingest", "--db", db.as_str(), "/no/such/file.eml"],
        vec![
            "ingest",
            "--db",
            "mysql://h/db",
            &corpus("fr/fr-gmail-simple.eml"),
        ],
        vec!["timeline", "--db", db.as_str()],
        vec!["timeline", "--db", db.as_str(), "--conversation", "nope"],
        vec!["conversations", "--db", db.as_str(), "--status", "sleeping"],
        vec!["conversations", "--db", db.as_str(), "--after", "yesterday"],
        vec!["insights", "--db", db.as_str(), "--since", "last week"],
        vec![
            "send",
            "--db",
            db.as_str(),
            "--to",
            "x@example.com",
            "--subject",
            "S",
        ],
        vec![
            "send",
            "--db",
            db.as_str(),
            "--to",
            "not an address",
            "--subject",
            "S",
            "--text",
            "T",
        ],
    ] {
        let out = run(&args);
        assert_eq!(
            out.status.code(),
            Some(2),
            "{args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(err.trim_end().lines().count(), 1, "{args:?}: {err}");
    }
    // No secret: a usage error that does not echo anything secret.
    let out = cmd()
        .env_remove("REPLYTRACK_SECRET")
        .args(["worker", "--once", "--db", &db])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    // A server that cannot be reached: exit 1, and the password is not shown.
    let out = run(&[
        "conversations",
        "--db",
        "postgres://app:s3cretpw@127.0.0.1:1/rt",
    ]);
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        !err.contains("s3cretpw") && err.contains("app:***@"),
        "{err}"
    );
    // A database that cannot be opened: exit 1.
    let out = run(&[
        "timeline",
        "--db",
        &dir.s("missing-dir/x/rt.db"),
        "--customer",
        "a@b.c",
    ]);
    assert_eq!(out.status.code(), Some(1));
}

#[test]
fn every_database_command_has_help() {
    for args in [
        vec!["ingest", "--help"],
        vec!["timeline", "--help"],
        vec!["conversations", "--help"],
        vec!["insights", "--help"],
        vec!["worker", "--help"],
        vec!["send", "--help"],
        vec!["customers", "add", "--help"],
        vec!["customers", "show", "--help"],
    ] {
        let out = run(&args);
        assert!(out.status.success(), "{args:?}");
        let text = stdout(&out);
        assert!(text.contains("Usage") && text.contains("--db"), "{args:?}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn postgres_database_through_the_cli() {
    use replytrack::ports::Store as _;
    let Some(scratch) = replytrack_postgres::testing::ScratchSchema::new("cli").await else {
        return; // unreachable outside CI: ScratchSchema printed a SKIPPED notice
    };
    let url = scratch.url().to_string();
    let schema = scratch.schema().to_string();
    let dir = TempDir::new("pg");
    let (address, mid, lines, events, list) = tokio::task::spawn_blocking(move || {
        let db = ["--db", url.as_str(), "--pg-schema", schema.as_str()];
        let with = |args: &[&str]| -> Output {
            let mut all: Vec<&str> = args.to_vec();
            all.extend_from_slice(&db);
            ok(&all)
        };
        let v = json_lines(&with(&[
            "send",
            "--to",
            "marie@example.fr",
            "--subject",
            "Essai",
            "--text",
            "Bonjour",
            "--json",
        ]))
        .remove(0);
        let address = v["reply_address"].as_str().unwrap().to_string();
        let mid = format!("<{}>", v["message_id"].as_str().unwrap());
        std::fs::write(
            dir.path("r.eml"),
            reply(
                &address,
                &mid,
                "pg1@example.fr",
                "Nous voulons un devis pour le forfait Pro.",
            ),
        )
        .unwrap();
        let lines = json_lines(&with(&[
            "ingest",
            "--json",
            &dir.s("r.eml"),
            &dir.s("r.eml"),
        ]));
        with(&["worker", "--once"]);
        let events = json_lines(&with(&[
            "timeline",
            "--customer",
            "marie@example.fr",
            "--json",
        ]));
        let list = json_lines(&with(&["conversations", "--json"])).remove(0);
        (address, mid, lines, events, list)
    })
    .await
    .unwrap();
    assert!(address.contains("@reply.example.com") && mid.starts_with('<'));
    assert_eq!(lines[0]["outcome"], "stored");
    assert_eq!(lines[1]["outcome"], "duplicate");
    let kinds: Vec<&str> = events.iter().map(|e| e["type"].as_str().unwrap()).collect();
    assert!(kinds.contains(&"reply_forwarded") && kinds.contains(&"analysis_completed"));
    assert_eq!(list["conversations"].as_array().unwrap().len(), 1);
    // The scratch schema holds the data (the CLI wrote where it was told).
    assert!(
        scratch
            .store()
            .customer_by_email("marie@example.fr")
            .await
            .unwrap()
            .is_some()
    );
}
