//! The `replytrack` command-line tool.
fn main() {}
