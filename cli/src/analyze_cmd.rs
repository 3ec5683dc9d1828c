//! `replytrack analyze`, `replytrack schema`, `replytrack prompt`: the offline analyzer, the JSON
//! Schema sent to models, and the prompt that would be sent for a reply.

use std::process::ExitCode;

use clap::{Args, Subcommand};
use replytrack::analysis::{
    Analysis, AnalysisContext, HeuristicAnalyzer, PromptBuilder, analysis_json_schema,
};
use replytrack::message::{InboundMessage, Limits};
use replytrack::reply::{extract, extract_text};
use serde_json::{Value, json};

use crate::parse_cmd::read_input;
use crate::{CliError, CmdResult, print_json};

/// The analysis commands.
#[derive(Debug, Subcommand)]
pub enum AnalysisCommand {
    /// Analyse replies offline (plain text, or `.eml` whose extracted reply is analysed); one JSON
    /// object a line with --json.
    Analyze(AnalyzeArgs),
    /// Print the analysis JSON Schema (strict structured-output subset).
    Schema,
    /// Print the prompt that would be sent to a model for a reply (system and user messages).
    Prompt(PromptArgs),
}

/// Context options shared by `analyze` and `prompt`.
#[derive(Debug, Args)]
pub struct ContextArgs {
    /// The account's language (ISO 639-1): insights and actions are written in it.
    #[arg(long, value_name = "LANG", default_value = "en")]
    account_lang: String,
    /// Subject of the email the customer answered (default: the `.eml`'s subject).
    #[arg(long, value_name = "TEXT")]
    subject: Option<String>,
    /// The customer's name (default: the `.eml`'s From name).
    #[arg(long, value_name = "NAME")]
    customer_name: Option<String>,
    /// The customer's status ("trial", "paying", …).
    #[arg(long, value_name = "STATUS")]
    customer_status: Option<String>,
}

#[derive(Debug, Args)]
pub struct AnalyzeArgs {
    /// Replies: plain text, or raw messages ending in `.eml`; `-` reads standard input (text).
    #[arg(value_name = "FILE", required = true)]
    files: Vec<String>,
    /// Print one JSON object a line: `file` and the analysis fields.
    #[arg(long)]
    json: bool,
    #[command(flatten)]
    context: ContextArgs,
}

#[derive(Debug, Args)]
pub struct PromptArgs {
    /// The reply: plain text, or a raw message ending in `.eml`; `-` reads standard input.
    #[arg(value_name = "FILE")]
    file: String,
    /// Print `{version, boundary, messages: [{role, content}]}` as one JSON line.
    #[arg(long)]
    json: bool,
    #[command(flatten)]
    context: ContextArgs,
}

pub fn run(cmd: AnalysisCommand) -> CmdResult {
    match cmd {
        AnalysisCommand::Analyze(args) => run_analyze(&args),
        AnalysisCommand::Schema => {
            print_json(&analysis_json_schema());
            Ok(ExitCode::SUCCESS)
        }
        AnalysisCommand::Prompt(args) => run_prompt(&args),
    }
}

/// The reply text and context of one input file.
fn load(file: &str, args: &ContextArgs) -> Result<(String, AnalysisContext), String> {
    let bytes = read_input(file).map_err(|e| format!("cannot read: {e}"))?;
    let mut ctx = AnalysisContext {
        subject: args.subject.clone(),
        customer_name: args.customer_name.clone(),
        customer_status: args.customer_status.clone(),
        account_lang: Some(args.account_lang.clone()),
        reply_lang: None,
    };
    let is_eml = std::path::Path::new(file)
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("eml"));
    let reply = if is_eml {
        let msg = InboundMessage::parse(&bytes, &Limits::default())
            .map_err(|e| format!("cannot parse the message: {e}"))?;
        if ctx.subject.is_none() {
            ctx.subject = msg.subject.clone();
        }
        if ctx.customer_name.is_none() {
            ctx.customer_name = msg.from.as_ref().and_then(|m| m.name.clone());
        }
        extract(&msg)
    } else {
        extract_text(&String::from_utf8_lossy(&bytes))
    };
    ctx.reply_lang = reply.lang.clone();
    Ok((reply.text, ctx))
}

fn analysis_line(file: &str, a: &Analysis) -> Value {
    let mut v = json!({ "file": file });
    if let (Some(o), Ok(Value::Object(fields))) = (v.as_object_mut(), serde_json::to_value(a)) {
        o.extend(fields);
    }
    v
}

fn summary(file: &str, a: &Analysis) -> String {
    let name = |v: Value| v.as_str().unwrap_or_default().to_string();
    format!(
        "{file}: {} · sentiment {} · urgency {} · interest {} · score {}/5 · follow-up {} · lang {}{}{}",
        name(json!(a.response_type)),
        name(json!(a.sentiment)),
        name(json!(a.urgency)),
        name(json!(a.product_interest)),
        a.opportunity_score,
        if a.follow_up_needed { "yes" } else { "no" },
        a.lang,
        a.monthly_volume
            .as_ref()
            .map(|v| format!(" · volume {} {}/month", v.value, v.unit))
            .unwrap_or_default(),
        if a.references.is_empty() {
            String::new()
        } else {
            format!(
                " · refs {}",
                a.references
                    .iter()
                    .map(|r| format!("{}:{}", name(json!(r.kind)), r.id))
                    .collect::<Vec<_>>()
                    .join(",")
            )
        },
    )
}

fn run_analyze(args: &AnalyzeArgs) -> CmdResult {
    if args.files.iter().filter(|f| *f == "-").count() > 1 {
        return Err(CliError::Usage(
            "standard input (-) can be read only once".into(),
        ));
    }
    let analyzer = HeuristicAnalyzer::new();
    let mut failures = 0usize;
    for file in &args.files {
        match load(file, &args.context) {
            Err(e) => {
                failures += 1;
                if args.json {
                    print_json(&json!({ "file": file, "error": e }));
                } else {
                    eprintln!("error: {file}: {e}");
                }
            }
            Ok((text, ctx)) => {
                let a = analyzer.analyze_text(&text, &ctx);
                if args.json {
                    print_json(&analysis_line(file, &a));
                } else {
                    println!("{}", summary(file, &a));
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

fn run_prompt(args: &PromptArgs) -> CmdResult {
    let (text, ctx) = load(&args.file, &args.context)
        .map_err(|e| CliError::Failed(anyhow::anyhow!("{}: {e}", args.file)))?;
    let p = PromptBuilder::new().build(&text, &ctx);
    if args.json {
        print_json(&json!({
            "version": p.version,
            "boundary": p.boundary,
            "messages": p.messages(),
        }));
    } else {
        println!("=== system ({}) ===\n{}\n", p.version, p.system);
        println!("=== user ===\n{}", p.user);
    }
    Ok(ExitCode::SUCCESS)
}
