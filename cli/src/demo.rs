//! `replytrack demo`: the library's mission on sample data, start to finish.
//!
//! Runs offline and deterministically (a fixed demo secret; the clock is the real one unless
//! `--now` is given) on the embedded SQLite store: a database in a temporary directory, removed at
//! the end unless `--keep`, or the one `--db` names (a SQLite path or a postgres:// URL). Each
//! capability of the library adds a section here.

use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;

use chrono::{DateTime, Duration, Utc};
use clap::Args;
use replytrack::address::{AddressFormat, find_token};
use replytrack::conversation::{AccountSettings, Tz};
use replytrack::engine::{Engine, EngineConfig};
use replytrack::token::{KeyId, Keyring, Secret, TokenAuthority};
use serde_json::{Value, json};

use crate::db::{DbArgs, OutboxArgs, runtime};
use crate::mailer::CliMailer;
use crate::show::print_table;
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
    /// Run on this database (a SQLite file, or a postgres:// URL) instead of a temporary one. It
    /// is kept.
    #[arg(long, value_name = "TARGET")]
    db: Option<String>,
    /// PostgreSQL only: the schema the tables live in.
    #[arg(long, value_name = "SCHEMA", requires = "db")]
    pg_schema: Option<String>,
    /// Keep the temporary database and print where it is (to look at it with `replytrack
    /// timeline --db …` or `sqlite3`).
    #[arg(long)]
    keep: bool,
    #[command(flatten)]
    outbox: OutboxArgs,
}

/// The demo's database: the one `--db` names, or a file in a fresh temporary directory.
struct DemoDb {
    args: DbArgs,
    /// The temporary directory, removed on drop unless kept.
    temp: Option<PathBuf>,
    keep: bool,
}

impl DemoDb {
    fn new(args: &DemoArgs) -> Result<Self, CliError> {
        if let Some(db) = &args.db {
            return Ok(Self {
                args: DbArgs {
                    db: db.clone(),
                    pg_schema: args.pg_schema.clone(),
                },
                temp: None,
                keep: true,
            });
        }
        let stamp = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_nanos())
            .unwrap_or(0);
        let dir =
            std::env::temp_dir().join(format!("replytrack-demo-{}-{stamp:x}", std::process::id()));
        std::fs::create_dir_all(&dir).map_err(|e| {
            CliError::Failed(anyhow::anyhow!("cannot create {}: {e}", dir.display()))
        })?;
        Ok(Self {
            args: DbArgs {
                db: dir.join("demo.db").display().to_string(),
                pg_schema: None,
            },
            temp: Some(dir),
            keep: args.keep,
        })
    }
}

impl Drop for DemoDb {
    fn drop(&mut self) {
        if let (Some(dir), false) = (&self.temp, self.keep) {
            let _removed = std::fs::remove_dir_all(dir);
        }
    }
}

struct Customer {
    name: &'static str,
    email: &'static str,
    lang: &'static str,
}

const CUSTOMERS: [Customer; 6] = [
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
    Customer {
        name: "João Pereira",
        email: "joao@pereira-cafe.pt",
        lang: "pt",
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

    let db = DemoDb::new(args)?;
    let mailer = Arc::new(
        CliMailer::new(args.outbox.outbox.as_deref())
            .map_err(|e| CliError::Failed(anyhow::anyhow!("cannot create the outbox: {e}")))?,
    );
    let account =
        AccountSettings::new("Acme", "hello@acme-demo.example", "owner@acme-demo.example")
            .map_err(|e| CliError::Failed(e.into()))?
            .from_name("Acme")
            .time_zone(Tz::Europe__Paris);
    let rt = runtime()?;
    let (target, mut inbox) = rt.block_on(async {
        let (target, store) = db.args.open().await?;
        // The story needs customers who have not bounced or replied yet.
        for c in &CUSTOMERS {
            if store
                .customer_by_email(c.email)
                .await
                .map_err(|e| CliError::Failed(e.into()))?
                .is_some()
            {
                return Err(CliError::Failed(anyhow::anyhow!(
                    "{target} already holds the demo's customers ({}): run the demo on a fresh \
                     database (leave out --db for a temporary one)",
                    c.email
                )));
            }
        }
        let engine = Engine::builder(authority, format, account)
            .store(store)
            .mailer(mailer.clone())
            // Forwards wait in the job queue for the forward worker, which the demo runs.
            .config(EngineConfig {
                forward_inline: false,
                ..EngineConfig::default()
            })
            .build()
            .map_err(|e| CliError::Failed(e.into()))?;
        let inbox = inbox::section(&engine, &mailer, now)
            .await
            .map_err(|e| CliError::Failed(e.into()))?;
        Ok::<_, CliError>((target, inbox))
    })?;
    drop(rt);
    let store_json = json!({
        "kind": target.kind(),
        "target": target.to_string(),
        "temporary": db.temp.is_some(),
        "kept": db.keep,
    });
    let store_line = match (&db.temp, db.keep) {
        (Some(_), false) => format!("a temporary SQLite database, removed at the end: {target}"),
        (Some(_), true) => format!("a SQLite database, kept: {target}"),
        (None, _) => match &db.args.pg_schema {
            Some(schema) => format!("{} store {target}, schema {schema}", target.kind()),
            None => format!("{} store {target}", target.kind()),
        },
    };
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
                "store": store_json,
                "tokens": tokens,
                "inbox": inbox,
                "analysis": analysis,
                "insights": insights,
            }))
            .unwrap_or_default()
        );
    } else {
        print_tokens(&tokens, now);
        inbox::print(&inbox, &store_line);
        analysis::print(&analysis);
        inbox::print_timelines(&inbox);
        analysis::print_dashboard(&insights);
        inbox::print_list(&inbox);
        if db.temp.is_some() && db.keep {
            println!();
            println!(
                "   The database is kept: replytrack timeline --db {} --customer marie@boulangerie-dupont.fr",
                db.args.db
            );
        }
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

mod inbox;
