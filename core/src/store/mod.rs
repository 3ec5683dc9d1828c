//! Store implementations that live in the core crate.
//!
//! With the `memory` feature: [`MemoryStore`], a complete [`Store`](crate::ports::Store) held in
//! process memory (tests, examples, the demo), and [`MemoryMailer`], a
//! [`Mailer`](crate::ports::Mailer) that keeps what it is given. Durable stores live in their own
//! crates (`replytrack-sqlite`, `replytrack-postgres`) and pass the same conformance suite.

#[cfg(feature = "memory")]
mod memory;
#[cfg(feature = "memory")]
mod memory_mailer;

#[cfg(feature = "memory")]
pub use memory::{MemoryStore, Poisoned};
#[cfg(feature = "memory")]
pub use memory_mailer::{MemoryMailer, MemoryMailerError};
