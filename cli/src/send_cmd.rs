//! `replytrack send`: compose an email to a customer, with a fresh reply address, and write it
//! out as an `.eml` for any transport to send.

use std::io::Write as _;
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;

use clap::Args;
use replytrack::conversation::{ConversationId, NewCustomer};
use replytrack::engine::{EngineConfig, OutboundDraft};
use serde_json::json;

use crate::db::{AccountArgs, DbArgs, failed, runtime};
use crate::mailer::CliMailer;
use crate::{CliError, CmdResult, now_arg, print_json};

/// Largest body file read, in bytes.
const MAX_BODY_BYTES: u64 = 1024 * 1024;

#[derive(Debug, Args)]
#[command(group(clap::ArgGroup::new("body").required(true).args(["text", "text_file"])))]
pub struct SendArgs {
    /// The customer's email address (the customer is created if unknown).
    #[arg(long, value_name = "EMAIL")]
    to: String,
    /// The customer's name, when creating them.
    #[arg(long, value_name = "NAME")]
    name: Option<String>,
    /// Subject.
    #[arg(long, value_name = "TEXT")]
    subject: String,
    /// Plain-text body.
    #[arg(long, value_name = "TEXT")]
    text: Option<String>,
    /// Read the plain-text body from this file (`-`: standard input).
    #[arg(long, value_name = "FILE")]
    text_file: Option<PathBuf>,
    /// An HTML body from this file, beside the text.
    #[arg(long, value_name = "FILE")]
    html_file: Option<PathBuf>,
    /// A one-off email: no conversation until the customer replies. Default: start a
    /// conversation, or continue the customer's current one.
    #[arg(long, conflicts_with = "conversation")]
    standalone: bool,
    /// Continue this conversation (`cnv_…`).
    #[arg(long, value_name = "ID")]
    conversation: Option<String>,
    /// Write the .eml here instead of standard output.
    #[arg(long, value_name = "FILE")]
    out: Option<PathBuf>,
    /// Print one JSON object (ids, reply address, file; the message itself under `raw` when
    /// there is no --out).
    #[arg(long)]
    json: bool,
    /// Compose as at this instant (RFC 3339) instead of now.
    #[arg(long, value_name = "RFC3339")]
    now: Option<String>,
    #[command(flatten)]
    db: DbArgs,
    #[command(flatten)]
    account: AccountArgs,
}

fn read_body(path: &PathBuf) -> Result<String, CliError> {
    use std::io::Read as _;
    let mut buf = Vec::new();
    let read = if path.as_os_str() == "-" {
        std::io::stdin()
            .take(MAX_BODY_BYTES + 1)
            .read_to_end(&mut buf)
    } else {
        std::fs::File::open(path).and_then(|f| f.take(MAX_BODY_BYTES + 1).read_to_end(&mut buf))
    };
    read.map_err(|e| CliError::Usage(format!("{}: {e}", path.display())))?;
    if buf.len() as u64 > MAX_BODY_BYTES {
        return Err(CliError::Usage(format!(
            "{} is over {MAX_BODY_BYTES} bytes",
            path.display()
        )));
    }
    String::from_utf8(buf)
        .map_err(|_| CliError::Usage(format!("{} is not UTF-8 text", path.display())))
}

pub fn run(args: &SendArgs) -> CmdResult {
    let now = now_arg(args.now.as_deref())?;
    let text = match (&args.text, &args.text_file) {
        (Some(t), _) => t.clone(),
        (None, Some(f)) => read_body(f)?,
        (None, None) => return Err(CliError::Usage("--text or --text-file is needed".into())),
    };
    let mut draft = OutboundDraft::new(args.subject.clone(), text);
    if let Some(f) = &args.html_file {
        draft = draft.html(read_body(f)?);
    }
    draft = match (&args.conversation, args.standalone) {
        (Some(id), _) => {
            let id: ConversationId = id
                .trim()
                .parse()
                .map_err(|e| CliError::Usage(format!("--conversation {id:?}: {e}")))?;
            draft.continue_conversation(id)
        }
        (None, true) => draft,
        (None, false) => draft.start_conversation(),
    };
    args.account.authority()?;
    let mailer = Arc::new(CliMailer::default());
    let (composed, customer, created) = runtime()?.block_on(async {
        let (_, store) = args.db.open().await?;
        let engine = args
            .account
            .engine(store.clone(), mailer, EngineConfig::default())?;
        let address = args.to.trim().to_lowercase();
        let (customer, created) = match store.customer_by_email(&address).await.map_err(failed)? {
            Some(c) => (c, false),
            None => {
                let mut new = NewCustomer::new(address.clone());
                if let Some(n) = &args.name {
                    new = new.name(n.clone());
                }
                let c = engine.add_customer(new, now).await.map_err(|e| match e {
                    replytrack::engine::EngineError::Address(e) => {
                        CliError::Usage(format!("--to {:?}: {e}", args.to))
                    }
                    other => failed(other),
                })?;
                (c, true)
            }
        };
        let composed = engine
            .compose_outbound(customer.id, draft, now)
            .await
            .map_err(failed)?;
        // Write the message where it goes, then record it as handed over.
        match &args.out {
            Some(path) => std::fs::write(path, &composed.email.raw).map_err(|e| {
                CliError::Failed(anyhow::anyhow!("cannot write {}: {e}", path.display()))
            })?,
            None if !args.json => {
                let mut out = std::io::stdout().lock();
                out.write_all(&composed.email.raw)
                    .and_then(|()| out.flush())
                    .map_err(|e| CliError::Failed(e.into()))?;
            }
            None => {}
        }
        engine
            .record_sent(composed.message.id, None, now)
            .await
            .map_err(failed)?;
        Ok::<_, CliError>((composed, customer, created))
    })?;
    if args.json {
        let mut v = json!({
            "customer": customer.id.to_string(),
            "customer_created": created,
            "message": composed.message.id.to_string(),
            "conversation": composed.conversation.map(|c| c.to_string()),
            "token": composed.token.token.to_string(),
            "reply_address": composed.reply_address,
            "message_id": composed.email.message_id,
            "expires_at": composed.token.expires_at.to_rfc3339(),
            "file": args.out.as_ref().map(|p| p.display().to_string()),
        });
        if args.out.is_none() {
            v["raw"] = json!(String::from_utf8_lossy(&composed.email.raw));
        }
        print_json(&v);
    } else if let Some(path) = &args.out {
        println!(
            "wrote {} to {}: replies come back to {}",
            path.display(),
            customer.display(),
            composed.reply_address
        );
    }
    Ok(ExitCode::SUCCESS)
}
