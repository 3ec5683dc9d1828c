//! `replytrack address parse`.

use std::process::ExitCode;

use clap::{Args, Subcommand};
use replytrack::address::parse_address;
use serde_json::json;

use crate::{CmdResult, print_json};

#[derive(Debug, Subcommand)]
pub enum AddressCommand {
    /// Find the reply token in addresses or address lists; one JSON object a line.
    Parse(ParseArgs),
}

#[derive(Debug, Args)]
pub struct ParseArgs {
    /// Header values: an address, or a comma-separated list, with or without display names.
    #[arg(value_name = "VALUE", required = true)]
    values: Vec<String>,
    /// Only addresses at this reply domain count (default: any domain).
    #[arg(long, value_name = "D")]
    domain: Option<String>,
}

pub fn run(cmd: AddressCommand) -> CmdResult {
    match cmd {
        AddressCommand::Parse(args) => {
            for v in &args.values {
                let p = parse_address(v, args.domain.as_deref());
                print_json(&json!({
                    "input": p.input,
                    "token": p.token.map(|t| t.to_string()),
                    "address": p.address,
                    "valid_shape": p.valid_shape,
                }));
            }
            Ok(ExitCode::SUCCESS)
        }
    }
}
