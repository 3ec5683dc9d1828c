//! `replytrack ingest PATH...`: raw messages from files, maildirs and mbox files into the store.

use std::collections::BTreeMap;
use std::io::IsTerminal;
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;

use clap::Args;
use replytrack::engine::{EngineConfig, IngestOutcome};
use serde_json::{Value, json};

use crate::db::{AccountArgs, DbArgs, failed, runtime};
use crate::mailer::CliMailer;
use crate::show::print_table;
use crate::sources::{self, ReadProblem};
use crate::{CliError, CmdResult, now_arg, print_json};

/// Above this many messages, a progress bar shows on a terminal.
const PROGRESS_ABOVE: usize = 50;
/// Above this many messages, the table lists only the totals.
const TABLE_ROWS: usize = 100;

#[derive(Debug, Args)]
pub struct IngestArgs {
    /// `.eml` files, mbox files, maildirs, or directories to walk for them.
    #[arg(value_name = "PATH", required = true)]
    paths: Vec<PathBuf>,
    /// Print one JSON object a line per message: source, outcome, explanation, ids.
    #[arg(long)]
    json: bool,
    /// Ingest as at this instant (RFC 3339) instead of now.
    #[arg(long, value_name = "RFC3339")]
    now: Option<String>,
    #[command(flatten)]
    db: DbArgs,
    #[command(flatten)]
    account: AccountArgs,
}

/// The ids an outcome names, for machines.
fn outcome_json(source: &str, outcome: &IngestOutcome) -> Value {
    let mut v = json!({
        "source": source,
        "outcome": outcome.name(),
        "explain": outcome.explain(),
    });
    let (message, customer, conversation) = match outcome {
        IngestOutcome::Stored(s) => (Some(s.message), Some(s.customer), Some(s.conversation)),
        IngestOutcome::Duplicate { existing } => (*existing, None, None),
        IngestOutcome::Expired {
            customer,
            conversation,
            ..
        } => (None, *customer, *conversation),
        IngestOutcome::Quarantined {
            customer,
            conversation,
            ..
        } => (None, Some(*customer), *conversation),
        IngestOutcome::AutoReplyRecorded {
            message,
            customer,
            conversation,
        } => (Some(*message), Some(*customer), *conversation),
        IngestOutcome::BounceRecorded {
            message,
            customer,
            conversation,
            ..
        } => (Some(*message), Some(*customer), *conversation),
        _ => (None, None, None),
    };
    v["message"] = json!(message.map(|m| m.to_string()));
    v["customer"] = json!(customer.map(|m| m.to_string()));
    v["conversation"] = json!(conversation.map(|m| m.to_string()));
    if let IngestOutcome::Rejected { reason } = outcome {
        v["reason"] = json!(match reason {
            replytrack::engine::RejectReason::BadToken { error, .. } => error.reason(),
            other => other.name(),
        });
    }
    v
}

pub fn run(args: &IngestArgs) -> CmdResult {
    let now = args.now.as_deref().map(|n| now_arg(Some(n))).transpose()?;
    let inputs = sources::expand(&args.paths).map_err(CliError::Usage)?;
    // Forwards wait in the queue for `replytrack worker`: ingest sends nothing.
    let config = EngineConfig {
        forward_inline: false,
        ..EngineConfig::default()
    };
    let limit = config.parse_limits.max_bytes;
    let mailer = Arc::new(CliMailer::default());
    let db = args.db.clone();
    let account = args.account.clone();
    account.authority()?;
    let show_progress = std::io::stderr().is_terminal();
    let total = if show_progress {
        sources::count(&inputs)
    } else {
        0
    };
    let bar = (show_progress && total > PROGRESS_ABOVE).then(|| {
        let bar = indicatif::ProgressBar::new(total as u64);
        if let Ok(style) = indicatif::ProgressStyle::with_template(
            "{bar:40} {pos}/{len} messages {per_sec} eta {eta}",
        ) {
            bar.set_style(style);
        }
        bar
    });
    let json_out = args.json;
    let rt = runtime()?;
    let result = rt.block_on(async move {
        let (_, store) = db.open().await?;
        let engine = account.engine(store, mailer, config)?;
        let mut counts: BTreeMap<String, usize> = BTreeMap::new();
        let mut rows = Vec::new();
        let mut unreadable = 0usize;
        for item in sources::items(inputs, limit) {
            let line = match &item.bytes {
                Ok(bytes) => {
                    let at = now.unwrap_or_else(chrono::Utc::now);
                    match engine.ingest_raw(bytes, at).await {
                        Ok(outcome) => outcome_json(&item.source, &outcome),
                        Err(e) => {
                            if let Some(bar) = &bar {
                                bar.abandon();
                            }
                            return Err(failed(anyhow::anyhow!(
                                "store error at {} (messages before it are stored): {e}",
                                item.source
                            )));
                        }
                    }
                }
                Err(problem) => {
                    let name = match problem {
                        ReadProblem::TooLarge { .. } => "too_large",
                        ReadProblem::Io(_) => {
                            unreadable += 1;
                            "unreadable"
                        }
                    };
                    json!({
                        "source": item.source,
                        "outcome": name,
                        "explain": problem.to_string(),
                        "message": null,
                        "customer": null,
                        "conversation": null,
                    })
                }
            };
            let outcome = line["outcome"].as_str().unwrap_or("").to_string();
            *counts.entry(outcome.clone()).or_insert(0) += 1;
            if json_out {
                if let Some(bar) = &bar {
                    bar.suspend(|| print_json(&line));
                } else {
                    print_json(&line);
                }
            } else if rows.len() <= TABLE_ROWS {
                rows.push(vec![
                    item.source.clone(),
                    outcome,
                    line["explain"]
                        .as_str()
                        .unwrap_or("")
                        .chars()
                        .take(90)
                        .collect(),
                ]);
            }
            if let Some(bar) = &bar {
                bar.inc(1);
            }
        }
        if let Some(bar) = &bar {
            bar.finish_and_clear();
        }
        Ok::<_, CliError>((counts, rows, unreadable))
    });
    let (counts, rows, unreadable) = result?;
    let total: usize = counts.values().sum();
    if !args.json {
        if total <= TABLE_ROWS {
            print_table(&["source", "outcome", "detail"], &rows);
            println!();
        }
        let summary: Vec<Vec<String>> = counts
            .iter()
            .map(|(k, n)| vec![k.clone(), n.to_string()])
            .collect();
        print_table(&["outcome", "messages"], &summary);
        println!();
        println!(
            "   {total} messages; forwards and analyses wait for `replytrack worker`{}",
            if total > TABLE_ROWS {
                " (use --json for each message)"
            } else {
                ""
            }
        );
    }
    if unreadable > 0 {
        eprintln!("error: {unreadable} file(s) could not be read");
        return Ok(ExitCode::from(1));
    }
    Ok(ExitCode::SUCCESS)
}
