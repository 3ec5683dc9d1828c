//! The reference in-memory store passes the whole suite.

use replytrack::store::MemoryStore;

replytrack_store_conformance::conformance_tests!(|| async { MemoryStore::new() });
