//! The engine scenarios of the inbox and WhatsApp on the SQLite store: a free-form WhatsApp
//! reply 25 h after the last inbound is refused and a template passes; inbound messages find the
//! customer by phone and are stored once; delivery callbacks; inbox rows, markers and the
//! customer link. In memory and in a file.

mod in_memory {
    replytrack_store_conformance::scenario_tests!(|| async {
        replytrack_sqlite::SqliteStore::open_in_memory()
            .unwrap_or_else(|e| panic!("an in-memory store: {e}"))
    });
}

mod in_a_file {
    fn fresh_file() -> std::path::PathBuf {
        use std::sync::atomic::{AtomicU32, Ordering};
        static N: AtomicU32 = AtomicU32::new(0);
        let dir = std::path::PathBuf::from(env!("CARGO_TARGET_TMPDIR"))
            .join("replytrack-sqlite-whatsapp");
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

    replytrack_store_conformance::scenario_tests!(|| async {
        replytrack_sqlite::SqliteStore::open(fresh_file())
            .unwrap_or_else(|e| panic!("a file store: {e}"))
    });
}
