//! Reply tokens.
