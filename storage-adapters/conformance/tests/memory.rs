//! The reference in-memory store passes the whole suite.

use replytrack::store::MemoryStore;

replytrack_store_conformance::conformance_tests!(|| async { MemoryStore::new() });

/// The engine scenarios (inbox list, customer link, WhatsApp) on the in-memory store.
mod scenarios {
    use replytrack::store::MemoryStore;

    replytrack_store_conformance::scenario_tests!(|| async { MemoryStore::new() });
}
