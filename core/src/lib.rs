//! # replytrack
//!
//! Reply tracking for the emails a product sends: every outgoing email gets a unique, signed,
//! expiring reply address; inbound replies are parsed, matched to their customer and conversation,
//! stripped of quoted history and signatures, and analysed.
#![forbid(unsafe_code)]
#![warn(missing_docs)]

pub mod address;
pub mod analysis;
pub mod conversation;
pub mod engine;
pub mod html;
pub mod inbox;
pub mod message;
pub mod ports;
pub mod provider;
pub mod reply;
pub mod store;
pub mod token;
