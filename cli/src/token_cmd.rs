//! `replytrack token issue|verify`.

use std::process::ExitCode;

use clap::{Args, Subcommand};
use replytrack::address::{AddressFormat, find_token};
use replytrack::token::{KeyId, Keyring, ReplyToken, Secret, TokenAuthority, TokenError};
use serde_json::json;

use crate::{CliError, CmdResult, now_arg, print_json};

/// Environment variable holding the master secret (hex) when `--secret-hex` is not given.
pub const SECRET_ENV: &str = "REPLYTRACK_SECRET";

#[derive(Debug, Subcommand)]
pub enum TokenCommand {
    /// Issue a token and its reply address; prints one JSON object.
    Issue(IssueArgs),
    /// Verify a token or a reply address; prints one JSON object, exits 1 when refused.
    Verify(VerifyArgs),
}

#[derive(Debug, Args)]
pub struct CommonArgs {
    /// Master secret as hex (16-64 bytes). Default: the REPLYTRACK_SECRET environment variable.
    #[arg(long, value_name = "HEX")]
    secret_hex: Option<String>,
    /// The instant to act at (RFC 3339). Default: now.
    #[arg(long, value_name = "RFC3339")]
    now: Option<String>,
    /// The reply domain.
    #[arg(long, value_name = "D", default_value = "reply.example.com")]
    domain: String,
    /// Token lifetime in days.
    #[arg(long, value_name = "N", default_value_t = replytrack::token::DEFAULT_TTL_DAYS)]
    ttl_days: i64,
}

#[derive(Debug, Args)]
pub struct IssueArgs {
    #[command(flatten)]
    common: CommonArgs,
    /// Key id (0-15) of the signing key, derived from the master secret.
    #[arg(long, value_name = "N", default_value_t = 0)]
    key_id: u8,
}

#[derive(Debug, Args)]
pub struct VerifyArgs {
    /// A token (`7k3m9q2x5c8v1b4n`) or a reply address (`reply+7k3m…@reply.example.com`).
    #[arg(value_name = "TOKEN_OR_ADDRESS")]
    input: String,
    #[command(flatten)]
    common: CommonArgs,
}

pub(crate) fn master_secret(arg: Option<&str>) -> Result<Secret, CliError> {
    let hex = match arg {
        Some(h) => h.to_string(),
        None => std::env::var(SECRET_ENV).map_err(|_| {
            CliError::Usage(format!(
                "no secret: pass --secret-hex HEX or set {SECRET_ENV}"
            ))
        })?,
    };
    Secret::from_hex(&hex).map_err(|e| CliError::Usage(e.to_string()))
}

fn authority(common: &CommonArgs, key_id: KeyId) -> Result<TokenAuthority, CliError> {
    let master = master_secret(common.secret_hex.as_deref())?;
    let key = master.derive(replytrack::token::REPLY_TOKEN_PURPOSE, key_id);
    TokenAuthority::builder(Keyring::single(key_id, key))
        .domain(&common.domain)
        .ttl_days(common.ttl_days)
        .build()
        .map_err(|e| CliError::Usage(e.to_string()))
}

pub fn run(cmd: TokenCommand) -> CmdResult {
    match cmd {
        TokenCommand::Issue(args) => issue(&args),
        TokenCommand::Verify(args) => verify(&args),
    }
}

fn issue(args: &IssueArgs) -> CmdResult {
    let key_id = KeyId::new(args.key_id)
        .ok_or_else(|| CliError::Usage(format!("--key-id {} is over 15", args.key_id)))?;
    let authority = authority(&args.common, key_id)?;
    let now = now_arg(args.common.now.as_deref())?;
    let issued = authority
        .issue(now)
        .map_err(|e| CliError::Failed(e.into()))?;
    let format =
        AddressFormat::new(authority.domain()).map_err(|e| CliError::Usage(e.to_string()))?;
    print_json(&json!({
        "token": issued.token.to_string(),
        "address": format.address(&issued.token),
        "message_id": format.message_id(&issued.token),
        "key_id": issued.key_id.get(),
        "issued_at": issued.issued_at.to_rfc3339(),
        "expires_at": issued.expires_at.to_rfc3339(),
    }));
    Ok(ExitCode::SUCCESS)
}

fn verify(args: &VerifyArgs) -> CmdResult {
    let now = now_arg(args.common.now.as_deref())?;
    let input = args.input.trim();
    let text = if input.contains('@') {
        match find_token(input, Some(&args.common.domain)).or_else(|| find_token(input, None)) {
            Some(t) => t.to_string(),
            None => return refuse_with("malformed", "no reply token in that address", None),
        }
    } else {
        input.to_string()
    };
    // The key id is read from the token, then that key is derived from the master secret.
    let key_id = match ReplyToken::parse(&text) {
        Ok(t) => t.key_id(),
        Err(reason) => {
            let err = TokenError::Malformed(reason);
            return refuse(&err, &err.to_string());
        }
    };
    let authority = authority(&args.common, key_id)?;
    match authority.verify(&text, now) {
        Ok(v) => {
            print_json(&json!({
                "valid": true,
                "token": v.token.to_string(),
                "key_id": v.key_id.get(),
                "issued_at": v.issued_at.to_rfc3339(),
                "expires_at": v.expires_at.to_rfc3339(),
            }));
            Ok(ExitCode::SUCCESS)
        }
        Err(e) => refuse(&e, &e.to_string()),
    }
}

fn refuse(err: &TokenError, message: &str) -> CmdResult {
    refuse_with(err.reason(), message, Some(err))
}

fn refuse_with(reason: &str, message: &str, err: Option<&TokenError>) -> CmdResult {
    let mut out = json!({ "valid": false, "reason": reason, "message": message });
    if let Some(TokenError::Expired {
        issued, expired_at, ..
    }) = err
    {
        out["issued_at"] = json!(issued.to_rfc3339());
        out["expires_at"] = json!(expired_at.to_rfc3339());
    }
    print_json(&out);
    Ok(ExitCode::from(1))
}
