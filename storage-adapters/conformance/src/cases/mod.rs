//! The cases, one `pub async fn(Arc<dyn Store>)` per behaviour, grouped by the part of the
//! [`Store`](replytrack::ports::Store) contract they pin. Each starts from an empty store.

pub mod commit;
pub mod concurrency;
pub mod inbox;
pub mod jobs;
pub mod listing;
pub mod raw;
pub mod reads;
pub mod search;
pub mod unique;
