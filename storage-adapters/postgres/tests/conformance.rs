//! The shared store conformance suite on PostgreSQL: every case in a fresh schema of its own,
//! dropped when the case ends. Outside CI an unreachable server skips each case with a notice;
//! with `CI=true` it fails them.

replytrack_store_conformance::conformance_tests!(or_skip: || async {
    replytrack_postgres::testing::ScratchSchema::new("conformance").await
});
