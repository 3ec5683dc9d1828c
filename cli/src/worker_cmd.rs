//! `replytrack worker`: run the forward and analysis workers (and wake snoozed conversations),
//! once or until Ctrl-C.

use std::process::ExitCode;
use std::sync::Arc;

use clap::Args;
use replytrack::engine::{AnalysisStatus, Engine, EngineConfig, ForwardStatus};
use serde_json::{Value, json};

use crate::db::{AccountArgs, DbArgs, OutboxArgs, failed, runtime};
use crate::mailer::CliMailer;
use crate::{CliError, CmdResult, now_arg, print_json};

/// Most passes `--once` makes before it stops (each pass takes up to `--batch` jobs a worker).
const MAX_PASSES: usize = 10_000;

#[derive(Debug, Args)]
pub struct WorkerArgs {
    /// Drain what is due and exit, instead of polling until Ctrl-C.
    #[arg(long)]
    once: bool,
    /// Seconds between polls.
    #[arg(long, value_name = "SECONDS", default_value_t = 5,
          value_parser = clap::value_parser!(u64).range(1..=3600))]
    interval: u64,
    /// Jobs claimed per worker and pass.
    #[arg(long, value_name = "N", default_value_t = 50,
          value_parser = clap::value_parser!(u16).range(1..=1000))]
    batch: u16,
    /// Run as at this instant (RFC 3339) instead of now (with --once).
    #[arg(long, value_name = "RFC3339", requires = "once")]
    now: Option<String>,
    /// Print one JSON object a line per job.
    #[arg(long)]
    json: bool,
    #[command(flatten)]
    llm: LlmArgs,
    #[command(flatten)]
    outbox: OutboxArgs,
    #[command(flatten)]
    db: DbArgs,
    #[command(flatten)]
    account: AccountArgs,
}

/// Environment variable holding the model API's key (`OPENAI_API_KEY` is read when it is unset).
pub const LLM_KEY_ENV: &str = "REPLYTRACK_LLM_API_KEY";

/// Analysing with a model instead of the offline heuristic analyzer.
#[derive(Debug, Args)]
pub struct LlmArgs {
    /// Analyse with a model behind this OpenAI-compatible API (https://api.openai.com/v1, an
    /// Ollama, vLLM or llama.cpp server's /v1). The key comes from REPLYTRACK_LLM_API_KEY or
    /// OPENAI_API_KEY. Default: the offline heuristic analyzer.
    #[arg(long, value_name = "URL", env = "REPLYTRACK_LLM_URL")]
    llm_url: Option<String>,
    /// The model (with --llm-url), such as gpt-4o-mini or llama3.1:8b.
    #[arg(long, value_name = "MODEL", env = "REPLYTRACK_LLM_MODEL")]
    llm_model: Option<String>,
    /// Ask for `json_object` output instead of a strict JSON Schema (servers without it).
    #[arg(long)]
    llm_json_object: bool,
}

impl LlmArgs {
    fn analyzer(&self) -> Result<Option<Arc<dyn replytrack::ports::Analyzer>>, CliError> {
        let Some(url) = &self.llm_url else {
            return Ok(None);
        };
        let model = self
            .llm_model
            .as_deref()
            .ok_or_else(|| CliError::Usage("--llm-url needs --llm-model".into()))?;
        let mut builder = replytrack_openai::OpenAiClient::builder(url.clone(), model);
        let key = std::env::var(LLM_KEY_ENV)
            .or_else(|_| std::env::var("OPENAI_API_KEY"))
            .ok()
            .filter(|k| !k.trim().is_empty());
        if let Some(key) = key {
            builder = builder.api_key(key);
        }
        if self.llm_json_object {
            builder = builder.structured_output(replytrack_openai::StructuredOutput::JsonObject);
        }
        let client = builder
            .build()
            .map_err(|e| CliError::Usage(format!("--llm-url: {e}")))?;
        Ok(Some(Arc::new(replytrack::analysis::LlmAnalyzer::new(
            client,
        ))))
    }
}

#[derive(Debug, Default)]
struct Totals {
    forwarded: usize,
    forward_failed: usize,
    analysed: usize,
    skipped: usize,
    analysis_failed: usize,
    woken: usize,
}

/// One pass: wake snoozes, forward, analyse. Returns how many jobs it ran.
async fn pass(
    engine: &Engine,
    mailer: &CliMailer,
    batch: usize,
    now: chrono::DateTime<chrono::Utc>,
    json_out: bool,
    totals: &mut Totals,
) -> Result<usize, CliError> {
    let woken = engine.wake_snoozed(now).await.map_err(failed)?;
    for id in &woken {
        emit(
            json_out,
            json!({ "worker": "snooze", "conversation": id.to_string(), "status": "woken" }),
            format!("snooze    {id} woken"),
        );
    }
    totals.woken += woken.len();
    let forwards = engine.run_forwards(batch, now).await.map_err(failed)?;
    let mut mails = mailer.take().into_iter();
    for r in &forwards {
        let sent = matches!(r.status, ForwardStatus::Sent { .. });
        let mail = if sent { mails.next() } else { None };
        if sent {
            totals.forwarded += 1;
        } else {
            totals.forward_failed += 1;
        }
        let mut v = json!({
            "worker": "forward",
            "job": r.job.to_string(),
            "message": r.message.to_string(),
            "sent": sent,
            "status": r.status.describe(),
        });
        let mut text = format!("forward   {}  {}", r.message, r.status.describe());
        if let Some(m) = &mail {
            v["mail"] = m.to_json();
            match &m.file {
                Some(f) => text.push_str(&format!(" → {}", f.display())),
                None => text.push_str(&format!(" · {:?}", m.subject)),
            }
        }
        emit(json_out, v, text);
    }
    let run = engine.run_analysis(batch, now).await.map_err(failed)?;
    totals.analysed += run.analysed;
    totals.skipped += run.skipped;
    totals.analysis_failed += run.failed + run.dead_lettered + run.lease_lost;
    for r in &run.reports {
        let (status, detail) = match &r.status {
            AnalysisStatus::Analysed { response_type, .. } => {
                ("analysed", response_type_name(*response_type))
            }
            AnalysisStatus::Skipped { reason } => ("skipped", reason.clone()),
            AnalysisStatus::Failed { error, retry_at } => (
                "failed",
                format!("{error}; retry at {}", retry_at.to_rfc3339()),
            ),
            AnalysisStatus::DeadLettered { error } => ("dead_lettered", error.clone()),
            AnalysisStatus::LeaseLost { error } => ("lease_lost", error.clone()),
        };
        emit(
            json_out,
            json!({
                "worker": "analysis",
                "job": r.job.to_string(),
                "message": r.message.to_string(),
                "attempt": r.attempt,
                "status": status,
                "detail": detail,
            }),
            format!("analysis  {}  {status}: {detail}", r.message),
        );
    }
    Ok(woken.len() + forwards.len() + run.reports.len())
}

fn response_type_name(t: replytrack::analysis::ResponseType) -> String {
    use replytrack::analysis::schema::WireValues;
    t.wire_name().to_string()
}

fn emit(json_out: bool, v: Value, text: String) {
    if json_out {
        print_json(&v);
    } else {
        println!("{text}");
    }
}

pub fn run(args: &WorkerArgs) -> CmdResult {
    let fixed_now = args.now.as_deref().map(|n| now_arg(Some(n))).transpose()?;
    args.account.authority()?;
    let analyzer = args.llm.analyzer()?;
    let mailer = Arc::new(
        CliMailer::new(args.outbox.outbox.as_deref())
            .map_err(|e| CliError::Failed(anyhow::anyhow!("cannot create the outbox: {e}")))?,
    );
    let batch = usize::from(args.batch);
    runtime()?.block_on(async {
        let (target, store) = args.db.open().await?;
        let engine = args.account.engine_with(
            store,
            mailer.clone(),
            EngineConfig::default(),
            analyzer,
        )?;
        let mut totals = Totals::default();
        if args.once {
            for _ in 0..MAX_PASSES {
                let now = fixed_now.unwrap_or_else(chrono::Utc::now);
                if pass(&engine, &mailer, batch, now, args.json, &mut totals).await? == 0 {
                    break;
                }
            }
        } else {
            // Registered before the first line is printed: from then on Ctrl-C (or SIGTERM) stops
            // the loop between passes, and the summary is printed.
            let mut stop = Stop::new()?;
            eprintln!(
                "worker on {target} ({} analyzer): polling every {}s; Ctrl-C to stop",
                engine.analyzer().name(),
                args.interval
            );
            let interval = std::time::Duration::from_secs(args.interval);
            loop {
                let ran = pass(
                    &engine,
                    &mailer,
                    batch,
                    chrono::Utc::now(),
                    args.json,
                    &mut totals,
                )
                .await?;
                // A full batch: go again at once, unless asked to stop.
                let pause = if ran >= batch {
                    std::time::Duration::ZERO
                } else {
                    interval
                };
                tokio::select! {
                    () = stop.wait() => break,
                    () = tokio::time::sleep(pause) => {}
                }
            }
        }
        if !args.json {
            println!(
                "{} forwarded, {} forwards failed, {} analysed, {} skipped, {} analyses failed, {} woken",
                totals.forwarded,
                totals.forward_failed,
                totals.analysed,
                totals.skipped,
                totals.analysis_failed,
                totals.woken
            );
        }
        Ok(ExitCode::SUCCESS)
    })
}

/// Ctrl-C, and on Unix SIGTERM too (a service manager stopping the worker).
struct Stop {
    #[cfg(unix)]
    int: tokio::signal::unix::Signal,
    #[cfg(unix)]
    term: tokio::signal::unix::Signal,
}

impl Stop {
    fn new() -> Result<Self, CliError> {
        #[cfg(unix)]
        {
            use tokio::signal::unix::{SignalKind, signal};
            let listen = |kind| {
                signal(kind).map_err(|e| {
                    CliError::Failed(anyhow::anyhow!("cannot listen for signals: {e}"))
                })
            };
            Ok(Self {
                int: listen(SignalKind::interrupt())?,
                term: listen(SignalKind::terminate())?,
            })
        }
        #[cfg(not(unix))]
        Ok(Self {})
    }

    async fn wait(&mut self) {
        #[cfg(unix)]
        tokio::select! {
            _ = self.int.recv() => {}
            _ = self.term.recv() => {}
        }
        #[cfg(not(unix))]
        {
            let _ = tokio::signal::ctrl_c().await;
        }
    }
}
