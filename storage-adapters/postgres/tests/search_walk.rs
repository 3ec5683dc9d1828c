//! The conformance suite's search cases with the other search plan: the store walks the list and
//! tests each conversation (what it does when a word is common) instead of collecting matches
//! from the index. Both plans must give the same answers.

use replytrack_postgres::testing::ScratchSchema;
use replytrack_store_conformance::cases::search;
use replytrack_store_conformance::run_case_or_skip;

async fn walking_store() -> Option<ScratchSchema> {
    ScratchSchema::with("search_walk", |b| b.dense_search_threshold(0)).await
}

macro_rules! walk_cases {
    ($($name:ident),* $(,)?) => {$(
        #[test]
        fn $name() {
            run_case_or_skip(walking_store, search::$name);
        }
    )*};
}

walk_cases!(
    search_finds_words_in_subjects_and_message_bodies,
    search_needs_every_word_in_one_subject_or_message,
    search_matches_whole_words_in_any_case,
    search_includes_resolved_conversations,
    search_combines_with_filters_and_pages,
    a_search_without_words_finds_nothing,
    search_sees_updated_messages,
);
