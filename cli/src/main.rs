//! `replytrack`: the command-line face of the replytrack library.
//!
//! Output contract (other tools rely on it): JSON commands print one JSON object per line on
//! standard output; bad arguments print a one-line error on standard error and exit 2.
//!
//! The database commands (`ingest`, `timeline`, `conversations`, `insights`, `worker`, `send`,
//! `customers`) take `--db` (or `REPLYTRACK_DB`; default `replytrack.db`): a SQLite file or a
//! PostgreSQL URL. Those that mint or verify tokens take the account's secret from
//! `REPLYTRACK_SECRET` (or `--secret-hex`) and its reply domain from `--domain` (or
//! `REPLYTRACK_DOMAIN`). See docs/cli.md.

mod address_cmd;
mod analyze_cmd;
mod db;
mod demo;
mod inbox_cmd;
mod ingest_cmd;
mod mailer;
mod parse_cmd;
mod send_cmd;
mod show;
mod sources;
mod token_cmd;
mod worker_cmd;

use std::process::ExitCode;

use clap::{Parser, Subcommand};

/// Reply tracking for product email: signed reply addresses, inbound parsing, quote stripping,
/// conversations and their analysis over SQLite or PostgreSQL.
#[derive(Debug, Parser)]
#[command(name = "replytrack", version, about, propagate_version = true)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Run the whole mission on sample data and print what happened.
    Demo(demo::DemoArgs),
    /// Issue and verify reply tokens.
    #[command(subcommand)]
    Token(token_cmd::TokenCommand),
    /// Parse reply addresses.
    #[command(subcommand)]
    Address(address_cmd::AddressCommand),
    /// Parse raw messages: classification, token, extracted reply; one JSON object a line.
    Parse(parse_cmd::ParseArgs),
    /// Strip quoted history and signatures from plain-text replies.
    Strip(parse_cmd::StripArgs),
    #[command(flatten)]
    Analysis(analyze_cmd::AnalysisCommand),
    /// Ingest raw messages into the database: .eml files, maildirs, mbox files, directories.
    Ingest(ingest_cmd::IngestArgs),
    /// Print a customer's or a conversation's timeline.
    Timeline(inbox_cmd::TimelineArgs),
    /// List conversations (the inbox), newest activity first, with filters and pages.
    Conversations(inbox_cmd::ConversationsArgs),
    /// The insights dashboard over analysed replies.
    Insights(inbox_cmd::InsightsArgs),
    /// Run the forward and analysis workers, once or until Ctrl-C.
    Worker(worker_cmd::WorkerArgs),
    /// Compose an email to a customer with a fresh reply address, as an .eml file.
    Send(send_cmd::SendArgs),
    /// Add or show customers.
    #[command(subcommand)]
    Customers(inbox_cmd::CustomersCommand),
}

/// What a command returns: its exit code, or an error about its arguments or inputs.
pub(crate) type CmdResult = Result<ExitCode, CliError>;

/// A usage error (exit 2) or another failure (exit 1).
#[derive(Debug)]
pub(crate) enum CliError {
    /// Bad arguments: one line, exit 2.
    Usage(String),
    /// Anything else: exit 1.
    Failed(anyhow::Error),
}

impl From<anyhow::Error> for CliError {
    fn from(e: anyhow::Error) -> Self {
        Self::Failed(e)
    }
}

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            use clap::error::ErrorKind;
            if matches!(e.kind(), ErrorKind::DisplayHelp | ErrorKind::DisplayVersion) {
                let _ = e.print();
                return ExitCode::SUCCESS;
            }
            if e.kind() == ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand {
                let _ = e.print();
                return ExitCode::from(2);
            }
            let text = e.to_string();
            let line = text.lines().next().unwrap_or("error: bad arguments");
            eprintln!("{line} (see --help)");
            return ExitCode::from(2);
        }
    };
    let result = match cli.command {
        Command::Demo(args) => demo::run(&args),
        Command::Token(cmd) => token_cmd::run(cmd),
        Command::Address(cmd) => address_cmd::run(cmd),
        Command::Parse(args) => parse_cmd::run_parse(&args),
        Command::Strip(args) => parse_cmd::run_strip(&args),
        Command::Analysis(cmd) => analyze_cmd::run(cmd),
        Command::Ingest(args) => ingest_cmd::run(&args),
        Command::Timeline(args) => inbox_cmd::run_timeline(&args),
        Command::Conversations(args) => inbox_cmd::run_conversations(&args),
        Command::Insights(args) => inbox_cmd::run_insights(&args),
        Command::Worker(args) => worker_cmd::run(&args),
        Command::Send(args) => send_cmd::run(&args),
        Command::Customers(cmd) => inbox_cmd::run_customers(&cmd),
    };
    match result {
        Ok(code) => code,
        Err(CliError::Usage(msg)) => {
            eprintln!("error: {msg}");
            ExitCode::from(2)
        }
        Err(CliError::Failed(e)) => {
            eprintln!("error: {e:#}");
            ExitCode::from(1)
        }
    }
}

/// Print one JSON value as a line.
pub(crate) fn print_json(value: &serde_json::Value) {
    println!("{value}");
}

/// Parse an RFC 3339 instant given on the command line, or take the current time.
pub(crate) fn now_arg(now: Option<&str>) -> Result<chrono::DateTime<chrono::Utc>, CliError> {
    match now {
        None => Ok(chrono::Utc::now()),
        Some(s) => chrono::DateTime::parse_from_rfc3339(s)
            .map(|t| t.with_timezone(&chrono::Utc))
            .map_err(|e| CliError::Usage(format!("--now {s:?} is not an RFC 3339 time: {e}"))),
    }
}
