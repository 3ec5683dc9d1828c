//! `replytrack parse` and `replytrack strip`: JSON lines per file, errors per file.
#![allow(clippy::unwrap_used)] // test helpers: a failed unwrap is a failed test

use std::io::Write;
use std::process::{Command, Output, Stdio};

use serde_json::Value;

fn run(args: &[&str], stdin: Option<&[u8]>) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_replytrack"))
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the binary runs");
    if let Some(input) = stdin {
        child.stdin.take().unwrap().write_all(input).unwrap();
    }
    drop(child.stdin.take());
    child.wait_with_output().unwrap()
}

fn lines(out: &Output) -> Vec<Value> {
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

const FRENCH_REPLY: &str = "From: Marie Dupont <marie@boulangerie-dupont.fr>\r
To: Acme <reply+7k3m9q2x5c8v1b4n@reply.example.com>\r
Subject: =?UTF-8?Q?Re=3A_Votre_essai_se_termine_bient=C3=B4t?=\r
Date: Mon, 3 Mar 2025 10:20:00 +0100\r
Message-ID: <CAF1234@mail.gmail.com>\r
Content-Type: text/plain; charset=UTF-8\r
Content-Transfer-Encoding: 8bit\r
\r
Bonjour, oui nous sommes très intéressés par l'offre annuelle pour nos trois boutiques.\r
\r
Cordialement,\r
Marie\r
\r
Le lun. 3 mars 2025 à 10:12, Acme <hello@example.com> a écrit :\r
> Votre essai se termine bientôt.\r
";

const OUT_OF_OFFICE: &str = "From: Max Müller <max@mueller-gmbh.de>\r
To: reply+7k3m9q2x5c8v1b4n@reply.example.com\r
Subject: Automatische Antwort: Ihre Testphase\r
Auto-Submitted: auto-replied\r
Message-ID: <ooo-1@mueller-gmbh.de>\r
Content-Type: text/plain; charset=UTF-8\r
\r
Ich bin bis zum 10. März nicht im Büro.\r
";

fn write_temp(name: &str, body: &[u8]) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("replytrack-cli-test-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let p = dir.join(name);
    std::fs::write(&p, body).unwrap();
    p
}

#[test]
fn parse_reports_kind_token_and_extracted_reply() {
    let reply = write_temp("fr.eml", FRENCH_REPLY.as_bytes());
    let ooo = write_temp("ooo.eml", OUT_OF_OFFICE.as_bytes());
    let out = run(
        &["parse", reply.to_str().unwrap(), ooo.to_str().unwrap()],
        None,
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let l = lines(&out);
    assert_eq!(l.len(), 2);
    assert_eq!(l[0]["kind"], "reply");
    assert_eq!(l[0]["token"], "7k3m9q2x5c8v1b4n");
    assert_eq!(l[0]["token_source"], "to");
    assert_eq!(l[0]["subject"], "Re: Votre essai se termine bientôt");
    assert_eq!(l[0]["from"], "marie@boulangerie-dupont.fr");
    assert_eq!(
        l[0]["reply_text"],
        "Bonjour, oui nous sommes très intéressés par l'offre annuelle pour nos trois boutiques.\n\nCordialement,\nMarie"
    );
    assert!(l[0]["quoted_text"].as_str().unwrap().contains("a écrit"));
    assert_eq!(l[0]["lang"], "fr");
    assert_eq!(l[0]["error"], Value::Null);
    assert_eq!(l[1]["kind"], "auto_reply");
}

#[test]
fn parse_reads_standard_input_and_reports_unparseable_files_without_stopping() {
    let missing = "/nonexistent/replytrack/none.eml";
    let out = run(&["parse", missing, "-"], Some(FRENCH_REPLY.as_bytes()));
    assert_eq!(
        out.status.code(),
        Some(1),
        "a failed file makes the exit code 1"
    );
    let l = lines(&out);
    assert_eq!(l.len(), 2);
    assert_eq!(l[0]["file"], missing);
    assert!(l[0]["error"].as_str().unwrap().contains("cannot read"));
    assert_eq!(l[1]["file"], "-");
    assert_eq!(l[1]["kind"], "reply");

    let garbage = write_temp("garbage.eml", b"\x00\x01\x02 not a message");
    let out = run(&["parse", garbage.to_str().unwrap()], None);
    assert_eq!(out.status.code(), Some(1));
    assert!(lines(&out)[0]["error"].is_string());
}

#[test]
fn parse_understands_provider_payloads() {
    let payload = serde_json::json!({
        "FromFull": {"Email": "ana@lojasouza.com.br", "Name": "Ana Souza", "MailboxHash": ""},
        "ToFull": [{"Email": "inbound@acme.example", "Name": "", "MailboxHash": "7k3m9q2x5c8v1b4n"}],
        "CcFull": [],
        "OriginalRecipient": "inbound+7k3m9q2x5c8v1b4n@acme.example",
        "MailboxHash": "7k3m9q2x5c8v1b4n",
        "Subject": "Re: Proposta",
        "MessageID": "5e0b8a1c-0000-4000-8000-000000000001",
        "TextBody": "Sim, podemos falar amanhã às 10h.\n\nEm seg., 3 de mar. de 2025 às 10:12, Acme <hello@acme.example> escreveu:\n> Podemos conversar?",
        "HtmlBody": "",
        "Headers": [{"Name": "Message-ID", "Value": "<abc@mail.gmail.com>"}],
        "Attachments": []
    });
    let file = write_temp("postmark.json", payload.to_string().as_bytes());
    let out = run(
        &["parse", "--provider", "postmark", file.to_str().unwrap()],
        None,
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    let l = &lines(&out)[0];
    assert_eq!(l["token"], "7k3m9q2x5c8v1b4n");
    assert_eq!(l["token_source"], "mailbox_hash");
    assert_eq!(l["reply_text"], "Sim, podemos falar amanhã às 10h.");

    let out = run(&["parse", "--provider", "carrier-pigeon", "x"], None);
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn strip_prints_the_reply_text_or_json() {
    let body = "Works for me, see you Tuesday.\n\nOn Mon, Mar 3, 2025 at 10:12 AM Acme <hello@acme.example> wrote:\n> Does Tuesday work?\n";
    let out = run(&["strip", "-"], Some(body.as_bytes()));
    assert!(out.status.success());
    assert_eq!(
        String::from_utf8_lossy(&out.stdout).trim(),
        "Works for me, see you Tuesday."
    );
    let out = run(&["strip", "--json", "-"], Some(body.as_bytes()));
    let l = &lines(&out)[0];
    assert_eq!(l["file"], "-");
    assert_eq!(l["reply_text"], "Works for me, see you Tuesday.");
}
