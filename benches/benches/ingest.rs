//! Ingest throughput over the in-memory store (placeholder until written).
fn main() {}
