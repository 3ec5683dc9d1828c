//! Provider adapters: webhook payloads into [`crate::message::InboundMessage`].
