//! # replytrack-store-conformance
//!
//! One behavioural suite that every [`Store`] implementation runs, so the in-memory, SQLite and
//! PostgreSQL stores behave identically. The cases are derived from the contract in
//! [`replytrack::ports`] and the reference [`MemoryStore`](replytrack::store::MemoryStore).
//!
//! A store crate runs the whole suite from one integration test file:
//!
//! ```
//! // tests/conformance.rs of a store crate (here: the in-memory reference store)
//! replytrack_store_conformance::conformance_tests!(|| async {
//!     replytrack::store::MemoryStore::new()
//! });
//! # fn main() {}
//! ```
//!
//! The macro expands to one `#[test]` per behaviour (named after it, so `cargo test` lists
//! `a_refused_commit_writes_nothing`, `four_workers_drain_a_thousand_jobs_each_exactly_once`, …).
//! Each test calls the factory once for a fresh, empty store and runs its case on a two-thread
//! tokio runtime, so the concurrency cases really run in parallel. The factory is any expression
//! callable with no argument that returns a future of a `Store + 'static`; the calling crate
//! needs no tokio dependency of its own.
//!
//! Each case is also a public `async fn(Arc<dyn Store>)` in [`cases`], for stores that want to
//! run a case in their own way.

#![warn(missing_docs)]

use std::future::Future;
use std::sync::Arc;

use replytrack::ports::Store;

pub mod cases;
pub mod fixtures;
pub mod scenarios;

/// Run one case on a fresh store made by `make`, on a two-thread tokio runtime.
///
/// # Panics
/// When the runtime cannot be built, or the case fails (that is how a case reports).
pub fn run_case<S, M, MF, C, CF>(make: M, case: C)
where
    S: Store + 'static,
    M: FnOnce() -> MF,
    MF: Future<Output = S>,
    C: FnOnce(Arc<dyn Store>) -> CF,
    CF: Future<Output = ()>,
{
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap_or_else(|e| panic!("a tokio runtime for the conformance case: {e}"));
    runtime.block_on(async move {
        let store: Arc<dyn Store> = Arc::new(make().await);
        case(store).await;
    });
}

/// Like [`run_case`], for a factory that may have no store to offer: when it returns `None` the
/// test ends early without running the case. The factory says why on stderr (for example
/// `SKIPPED: PostgreSQL unreachable at …`); it is meant for stores on a server that may be
/// absent outside CI, and should panic instead where the server is required.
///
/// # Panics
/// As [`run_case`].
pub fn run_case_or_skip<S, M, MF, C, CF>(make: M, case: C)
where
    S: Store + 'static,
    M: FnOnce() -> MF,
    MF: Future<Output = Option<S>>,
    C: FnOnce(Arc<dyn Store>) -> CF,
    CF: Future<Output = ()>,
{
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap_or_else(|e| panic!("a tokio runtime for the conformance case: {e}"));
    runtime.block_on(async move {
        if let Some(store) = make().await {
            let store: Arc<dyn Store> = Arc::new(store);
            case(store).await;
        }
    });
}

/// Expand to one `#[test]` per conformance case, each on a fresh store from the factory.
///
/// The argument is an expression callable with no argument that returns a future of the store,
/// for example `|| async { MyStore::open_in_memory().unwrap() }`. It is evaluated once per test.
/// The list below is the whole suite.
///
/// `conformance_tests!(or_skip: make)` takes a factory returning a future of `Option<store>`
/// instead, and runs each test with [`run_case_or_skip`].
#[macro_export]
macro_rules! conformance_tests {
    (@each $run:ident, $make:expr; $($module:ident: [$($name:ident),* $(,)?]),* $(,)?) => {
        $($(
            #[test]
            fn $name() {
                $crate::$run($make, $crate::cases::$module::$name);
            }
        )*)*
    };
    (or_skip: $make:expr) => {
        $crate::conformance_tests!(@suite run_case_or_skip, $make);
    };
    (@suite $run:ident, $make:expr) => {
        $crate::conformance_tests!(@each $run, $make;
            commit: [
                a_commit_stores_every_record_at_version_one,
                a_refused_commit_writes_nothing,
                a_conflict_in_the_last_write_rolls_back_the_earlier_ones,
                a_second_commit_with_the_same_dedupe_key_is_a_duplicate,
                a_dedupe_key_without_a_message_is_remembered_without_one,
                the_dedupe_check_comes_before_the_other_checks,
                the_first_inserted_message_is_remembered_with_the_key,
                an_empty_commit_is_applied,
            ],
            unique: [
                a_customer_has_one_current_conversation,
                resolving_one_conversation_and_opening_another_in_one_commit_is_allowed,
                opening_before_resolving_in_one_commit_is_refused,
                an_update_from_a_stale_read_is_refused,
                an_update_of_a_missing_record_is_not_found,
                versions_count_updates,
                an_email_address_belongs_to_one_customer,
                an_address_released_by_one_customer_can_be_taken_by_another,
                an_external_id_belongs_to_one_customer,
                a_token_has_one_record,
                an_insert_reusing_an_id_is_refused,
            ],
            reads: [
                customers_are_found_by_address_in_any_case,
                a_message_is_found_by_its_rfc_message_id,
                a_conversations_messages_come_in_stored_order,
                timelines_keep_the_order_events_were_stored,
                reads_of_unknown_records_find_nothing,
                records_round_trip_every_field,
            ],
            listing: [
                conversations_are_listed_newest_activity_first,
                conversations_filter_by_status,
                conversations_filter_by_assignee_team_and_channel,
                conversations_filter_by_label_and_customer,
                conversation_pages_follow_the_cursor,
                the_default_page_holds_fifty,
                an_updated_conversation_moves_in_the_list,
                due_snoozes_come_soonest_first_up_to_the_limit,
            ],
            search: [
                search_finds_words_in_subjects_and_message_bodies,
                search_needs_every_word_in_one_subject_or_message,
                search_matches_whole_words_in_any_case,
                search_includes_resolved_conversations,
                search_combines_with_filters_and_pages,
                a_search_without_words_finds_nothing,
                search_sees_updated_messages,
            ],
            inbox: [
                inbox_rows_carry_the_contact_and_the_latest_message,
                inbox_tabs_show_mine_unassigned_and_all,
                inbox_filters_by_status_channel_labels_priority_and_response_type,
                inbox_search_and_pages_follow_the_cursor,
                read_marks_are_kept_per_agent_latest_first,
                customers_are_found_by_phone_in_e164,
            ],
            jobs: [
                a_claim_leases_due_jobs_oldest_first,
                a_leased_job_is_not_claimed_again_until_its_lease_ends,
                claim_job_takes_one_free_job_by_id,
                completing_a_job_applies_its_commit_and_finishes_it,
                a_worker_whose_lease_was_lost_cannot_complete_or_fail,
                a_completion_whose_commit_is_refused_leaves_the_job_leased,
                a_completion_whose_results_are_already_stored_finishes_the_job,
                a_failed_job_is_queued_again_at_its_retry_time,
                a_failed_job_can_be_dead_lettered,
                retries_follow_the_backoff_policy_until_the_dead_letter,
                a_job_whose_attempts_are_spent_by_lost_leases_is_dead_lettered,
                operations_on_an_unknown_job_are_not_found,
            ],
            raw: [
                raw_bytes_are_kept_once_and_read_back,
                purging_raw_bytes_keeps_those_inside_the_retention,
                dead_letters_keep_the_bytes_and_the_error_newest_first,
                a_dead_letter_is_kept_once_with_its_latest_error,
                dead_letters_survive_a_raw_purge_until_removed,
            ],
            concurrency: [
                concurrent_deliveries_of_one_webhook_store_one_message,
                concurrent_first_messages_from_a_contact_open_one_conversation,
                four_workers_drain_a_thousand_jobs_each_exactly_once,
                concurrent_commits_with_one_dedupe_key_apply_once,
                concurrent_claims_of_one_job_lease_it_once,
                concurrent_updates_from_one_read_let_one_win,
                concurrent_conversation_opens_for_one_customer_let_one_win,
            ],
        );
    };
    ($make:expr) => {
        $crate::conformance_tests!(@suite run_case, $make);
    };
}
