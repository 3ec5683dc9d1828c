//! `replytrack demo`: the library's mission on sample data, start to finish.
//!
//! Runs offline and deterministically (a fixed demo secret; the clock is the real one unless
//! `--now` is given). Each capability of the library adds a section here.

use std::process::ExitCode;

use chrono::{DateTime, Duration, Utc};
use clap::Args;
use replytrack::address::{AddressFormat, find_token};
use replytrack::token::{KeyId, Keyring, Secret, TokenAuthority};
use serde_json::{Value, json};

use crate::{CliError, CmdResult, now_arg};

mod analysis;

/// The demo's master secret. A real deployment generates one (`Secret::generate`) and keeps it
/// in a secret store.
const DEMO_SECRET_HEX: &str = "6465 6d6f";
const DEMO_DOMAIN: &str = "reply.acme-demo.example";

#[derive(Debug, Args)]
pub struct DemoArgs {
    /// Print one JSON document instead of tables.
    #[arg(long)]
    json: bool,
    /// Run at this instant (RFC 3339) instead of now.
    #[arg(long, value_name = "RFC3339")]
    now: Option<String>,
}

struct Customer {
    name: &'static str,
    email: &'static str,
    lang: &'static str,
}

const CUSTOMERS: [Customer; 5] = [
    Customer {
        name: "Marie Dupont",
        email: "marie@boulangerie-dupont.fr",
        lang: "fr",
    },
    Customer {
        name: "Juan García",
        email: "juan@ferreteria-garcia.es",
        lang: "es",
    },
    Customer {
        name: "Ana Souza",
        email: "ana@lojasouza.com.br",
        lang: "pt",
    },
    Customer {
        name: "Max Müller",
        email: "max@mueller-gmbh.de",
        lang: "de",
    },
    Customer {
        name: "Sarah Jones",
        email: "sarah@jonesandco.co.uk",
        lang: "en",
    },
];

pub fn run(args: &DemoArgs) -> CmdResult {
    let now = now_arg(args.now.as_deref())?;
    let secret_hex: String = DEMO_SECRET_HEX
        .split_whitespace()
        .collect::<String>()
        .repeat(8);
    let master = Secret::from_hex(&secret_hex).map_err(|e| CliError::Failed(e.into()))?;
    let mut ring = Keyring::new();
    ring.add_derived(&master, key(0), now - Duration::days(400))
        .map_err(|e| CliError::Failed(e.into()))?;
    let authority = TokenAuthority::builder(ring)
        .domain(DEMO_DOMAIN)
        .build()
        .map_err(|e| CliError::Failed(e.into()))?;
    let format = AddressFormat::new(DEMO_DOMAIN).map_err(|e| CliError::Failed(e.into()))?;

    let tokens = tokens_section(&authority, &format, now)?;
    let mut inbox = futures::executor::block_on(inbox::section(authority, format, now))
        .map_err(|e| CliError::Failed(e.into()))?;
    let mut analysis = inbox
        .as_object_mut()
        .and_then(|o| o.remove("analysis"))
        .unwrap_or_default();
    let insights = analysis
        .as_object_mut()
        .and_then(|o| o.remove("insights"))
        .unwrap_or_default();
    if args.json {
        println!(
            "{}",
            serde_json::to_string_pretty(&json!({
                "now": now,
                "tokens": tokens,
                "inbox": inbox,
                "analysis": analysis,
                "insights": insights,
            }))
            .unwrap_or_default()
        );
    } else {
        print_tokens(&tokens, now);
        inbox::print(&inbox);
        analysis["insights"] = insights;
        analysis::print(&analysis);
    }
    Ok(ExitCode::SUCCESS)
}

fn key(id: u8) -> KeyId {
    KeyId::new(id).expect("demo key ids are below 16")
}

/// Mint an address per customer, then verify a genuine reply, an expired and a forged one.
fn tokens_section(
    authority: &TokenAuthority,
    format: &AddressFormat,
    now: DateTime<Utc>,
) -> Result<Value, CliError> {
    let mut minted = Vec::new();
    for c in &CUSTOMERS {
        let issued = authority
            .issue(now)
            .map_err(|e| CliError::Failed(e.into()))?;
        minted.push(json!({
            "customer": c.name,
            "email": c.email,
            "lang": c.lang,
            "reply_address": format.address(&issued.token),
            "message_id": format!("<{}>", format.message_id(&issued.token)),
            "expires_at": issued.expires_at,
        }));
    }
    let genuine = minted
        .first()
        .and_then(|m| m["reply_address"].as_str())
        .unwrap_or_default()
        .to_uppercase(); // mail servers sometimes shout: verification is case-insensitive
    let old = authority
        .issue(now - Duration::days(120))
        .map_err(|e| CliError::Failed(e.into()))?;
    let expired = format.address(&old.token);
    let forged = {
        let mut t: Vec<char> = minted
            .get(1)
            .and_then(|m| m["reply_address"].as_str())
            .unwrap_or_default()
            .chars()
            .collect();
        // Change one character of the token (position 20 is inside it).
        if let Some(c) = t.get_mut(20) {
            *c = if *c == 'a' { 'b' } else { 'a' };
        }
        t.into_iter().collect::<String>()
    };
    let checks: Vec<Value> = [
        ("genuine reply (uppercased by a server)", genuine),
        ("reply to a 120-day-old email", expired),
        ("forged address", forged),
    ]
    .into_iter()
    .map(|(label, address)| {
        let outcome = match find_token(&address, Some(authority.domain())) {
            None => json!({ "valid": false, "reason": "malformed", "message": "no token" }),
            Some(tok) => match authority.verify_token(&tok, now) {
                Ok(v) => json!({ "valid": true, "expires_at": v.expires_at }),
                Err(e) => json!({ "valid": false, "reason": e.reason(), "message": e.to_string() }),
            },
        };
        json!({ "case": label, "address": address, "outcome": outcome })
    })
    .collect();
    Ok(
        json!({ "domain": authority.domain(), "ttl_days": authority.ttl().num_days(), "minted": minted, "checks": checks }),
    )
}

fn print_tokens(tokens: &Value, now: DateTime<Utc>) {
    println!("replytrack demo — {}", now.format("%Y-%m-%d %H:%M UTC"));
    println!();
    println!("1. Every outgoing email gets its own signed reply address");
    println!(
        "   (domain {}, tokens live {} days)",
        tokens["domain"].as_str().unwrap_or(""),
        tokens["ttl_days"]
    );
    println!();
    let rows: Vec<Vec<String>> = tokens["minted"]
        .as_array()
        .map(|a| {
            a.iter()
                .map(|m| {
                    vec![
                        m["customer"].as_str().unwrap_or("").to_string(),
                        m["email"].as_str().unwrap_or("").to_string(),
                        m["reply_address"].as_str().unwrap_or("").to_string(),
                    ]
                })
                .collect()
        })
        .unwrap_or_default();
    print_table(&["customer", "email", "reply address"], &rows);
    println!();
    println!("2. Replies are verified from the token alone, before any database lookup");
    println!();
    let rows: Vec<Vec<String>> = tokens["checks"]
        .as_array()
        .map(|a| {
            a.iter()
                .map(|c| {
                    let o = &c["outcome"];
                    let verdict = if o["valid"].as_bool().unwrap_or(false) {
                        "accepted".to_string()
                    } else {
                        format!("refused: {}", o["reason"].as_str().unwrap_or(""))
                    };
                    vec![c["case"].as_str().unwrap_or("").to_string(), verdict]
                })
                .collect()
        })
        .unwrap_or_default();
    print_table(&["case", "verdict"], &rows);
}

/// Print rows under a header, columns padded to their widest cell.
pub fn print_table(header: &[&str], rows: &[Vec<String>]) {
    let mut widths: Vec<usize> = header.iter().map(|h| h.chars().count()).collect();
    for row in rows {
        for (i, cell) in row.iter().enumerate() {
            if let Some(w) = widths.get_mut(i) {
                *w = (*w).max(cell.chars().count());
            }
        }
    }
    let line = |cells: Vec<&str>| {
        let parts: Vec<String> = cells
            .iter()
            .enumerate()
            .map(|(i, c)| format!("{:<w$}", c, w = widths.get(i).copied().unwrap_or(0)))
            .collect();
        println!("   {}", parts.join("  ").trim_end());
    };
    line(header.to_vec());
    line(
        widths
            .iter()
            .map(|w| "─".repeat(*w))
            .collect::<Vec<_>>()
            .iter()
            .map(String::as_str)
            .collect(),
    );
    for row in rows {
        line(row.iter().map(String::as_str).collect());
    }
}

/// Section 3 and 4: replies flow through the engine over an in-memory store.
mod inbox;
