//! The engine scenarios of the inbox and WhatsApp on PostgreSQL, each in a fresh schema (skipped
//! with a notice outside CI when the server is unreachable, as the conformance suite is).

replytrack_store_conformance::scenario_tests!(or_skip: || async {
    replytrack_postgres::testing::ScratchSchema::new("scenarios").await
});
