//! `replytrack parse` and `replytrack strip`: the inbound pipeline's pure half, over files.

use std::io::Read;
use std::process::ExitCode;

use clap::Args;
use replytrack::address::{ScanOptions, scan};
use replytrack::message::{ClassifyOptions, InboundMessage, classify};
use replytrack::provider::{ProviderKind, ProviderOptions, parse_provider};
use replytrack::reply::{extract, extract_text};
use serde_json::{Value, json};

use crate::{CliError, CmdResult, print_json};

#[derive(Debug, Args)]
pub struct ParseArgs {
    /// Raw messages (`.eml`); `-` reads standard input.
    #[arg(value_name = "FILE", required = true)]
    files: Vec<String>,
    /// Our reply domain: tokens are looked for at this domain.
    #[arg(long, value_name = "D", default_value = "reply.example.com")]
    reply_domain: String,
    /// Our sending domains, for own-loop detection (repeatable). Default: the reply domain and
    /// its parent (`reply.example.com` → `example.com`).
    #[arg(long, value_name = "D")]
    own_domain: Vec<String>,
    /// How the input is packaged: raw MIME, or a provider's webhook payload
    /// (`raw`, `sendgrid`, `mailgun`, `postmark`, `ses`).
    #[arg(long, value_name = "NAME", default_value = "raw")]
    provider: ProviderKind,
    /// The webhook request's `Content-Type` (with its boundary), for SendGrid and Mailgun
    /// multipart payloads.
    #[arg(long, value_name = "CT")]
    content_type: Option<String>,
    /// Print JSON lines (the default and only format; accepted for symmetry with `strip`).
    #[arg(long)]
    json: bool,
}

#[derive(Debug, Args)]
pub struct StripArgs {
    /// Plain-text reply bodies; `-` reads standard input.
    #[arg(value_name = "FILE", required = true)]
    files: Vec<String>,
    /// Print one JSON object a line (`file`, `reply_text`, `quoted_text`, `signature`, `lang`)
    /// instead of the bare reply text.
    #[arg(long)]
    json: bool,
}

/// Read a file, or standard input for `-`.
pub fn read_input(path: &str) -> std::io::Result<Vec<u8>> {
    if path == "-" {
        let mut buf = Vec::new();
        std::io::stdin().read_to_end(&mut buf)?;
        Ok(buf)
    } else {
        std::fs::read(path)
    }
}

/// The JSON line for one parsed message.
pub fn message_json(
    file: &str,
    msg: &InboundMessage,
    reply_domain: &str,
    own: &ClassifyOptions,
) -> Value {
    let class = classify(msg, own);
    let found = scan(
        msg,
        &ScanOptions {
            domain: reply_domain.to_string(),
        },
    );
    let reply = extract(msg);
    json!({
        "file": file,
        "message_id": msg.message_id,
        "from": msg.from.as_ref().map(|m| m.address.clone()),
        "from_name": msg.from.as_ref().and_then(|m| m.name.clone()),
        "to": msg.to.iter().map(|m| m.address.clone()).collect::<Vec<_>>(),
        "cc": msg.cc.iter().map(|m| m.address.clone()).collect::<Vec<_>>(),
        "subject": msg.subject,
        "date": msg.date.map(|d| d.to_rfc3339()),
        "kind": class.kind,
        "evidence": class.evidence,
        "mailing_list": class.mailing_list,
        "bounce": class.bounce,
        "token": found.as_ref().map(|f| f.token.clone()),
        "token_source": found.as_ref().map_or("none", |f| f.source.as_str()),
        "reply_text": reply.text,
        "quoted_text": reply.quoted,
        "signature": reply.signature,
        "lang": reply.lang,
        "only_quote": reply.only_quote,
        "attachments": msg.attachments,
        "warnings": msg.warnings,
        "error": Value::Null,
    })
}

fn error_json(file: &str, error: &str) -> Value {
    json!({ "file": file, "error": error })
}

/// Default own domains: the reply domain and its parent.
pub fn own_options(reply_domain: &str, own: &[String]) -> ClassifyOptions {
    let mut domains: Vec<String> = own.iter().map(|d| d.to_ascii_lowercase()).collect();
    if domains.is_empty() {
        let d = reply_domain.to_ascii_lowercase();
        if let Some((_, parent)) = d.split_once('.')
            && parent.contains('.')
        {
            domains.push(parent.to_string());
        }
        domains.push(d);
    }
    ClassifyOptions {
        own_domains: domains,
        own_addresses: Vec::new(),
    }
}

pub fn run_parse(args: &ParseArgs) -> CmdResult {
    if args.files.iter().filter(|f| *f == "-").count() > 1 {
        return Err(CliError::Usage(
            "standard input (-) can be read only once".into(),
        ));
    }
    let own = own_options(&args.reply_domain, &args.own_domain);
    let mut failures = 0usize;
    for file in &args.files {
        let line = match read_input(file) {
            Err(e) => {
                failures += 1;
                error_json(file, &format!("cannot read: {e}"))
            }
            Ok(bytes) => match parse_provider(
                args.provider,
                &bytes,
                args.content_type.as_deref(),
                &ProviderOptions::default(),
            ) {
                Ok(msg) => message_json(file, &msg, &args.reply_domain, &own),
                Err(e) => {
                    failures += 1;
                    error_json(file, &e.to_string())
                }
            },
        };
        print_json(&line);
    }
    // Every file is reported; the exit code says whether all of them could be parsed.
    Ok(if failures == 0 {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}

pub fn run_strip(args: &StripArgs) -> CmdResult {
    if args.files.iter().filter(|f| *f == "-").count() > 1 {
        return Err(CliError::Usage(
            "standard input (-) can be read only once".into(),
        ));
    }
    let mut failures = 0usize;
    for file in &args.files {
        match read_input(file) {
            Err(e) => {
                failures += 1;
                if args.json {
                    print_json(&error_json(file, &format!("cannot read: {e}")));
                } else {
                    eprintln!("error: {file}: cannot read: {e}");
                }
            }
            Ok(bytes) => {
                let text = String::from_utf8_lossy(&bytes);
                let reply = extract_text(&text);
                if args.json {
                    print_json(&json!({
                        "file": file,
                        "reply_text": reply.text,
                        "quoted_text": reply.quoted,
                        "signature": reply.signature,
                        "lang": reply.lang,
                        "only_quote": reply.only_quote,
                        "error": Value::Null,
                    }));
                } else {
                    println!("{}", reply.text);
                }
            }
        }
    }
    Ok(if failures == 0 {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}
