//! The SQLite store passes the whole conformance suite: in memory (one connection), in a file
//! (WAL, a writer and two reader connections), both with its own threads, and in a file with
//! the work on the caller's thread.

use std::path::PathBuf;
use std::sync::Once;
use std::sync::atomic::{AtomicU32, Ordering};

use replytrack_sqlite::SqliteStore;

/// A database file of its own under the target's temporary directory (whose files from earlier
/// runs are removed on the first call).
fn fresh_file() -> PathBuf {
    static N: AtomicU32 = AtomicU32::new(0);
    static CLEAN: Once = Once::new();
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("replytrack-sqlite-conformance");
    CLEAN.call_once(|| {
        let _ = std::fs::remove_dir_all(&dir);
    });
    std::fs::create_dir_all(&dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display()));
    let path = dir.join(format!(
        "{}-{}.db",
        std::process::id(),
        N.fetch_add(1, Ordering::Relaxed)
    ));
    for suffix in ["", "-wal", "-shm"] {
        let mut p = path.clone().into_os_string();
        p.push(suffix);
        let _ = std::fs::remove_file(p);
    }
    path
}

mod in_memory {
    use super::*;

    replytrack_store_conformance::conformance_tests!(|| async {
        SqliteStore::open_in_memory().unwrap_or_else(|e| panic!("an in-memory store: {e}"))
    });
}

mod in_a_file {
    use super::*;

    replytrack_store_conformance::conformance_tests!(|| async {
        SqliteStore::open(fresh_file()).unwrap_or_else(|e| panic!("a file store: {e}"))
    });
}

mod in_a_file_on_the_callers_thread {
    use super::*;
    use replytrack_sqlite::{Execution, SqliteOptions};

    replytrack_store_conformance::conformance_tests!(|| async {
        let options = SqliteOptions::new().execution(Execution::CallerThread);
        SqliteStore::open_with(fresh_file(), options)
            .unwrap_or_else(|e| panic!("a file store: {e}"))
    });
}
