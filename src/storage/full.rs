//! A full disk told apart from other database failures: members are then
//! asked to come back later instead of being shown an internal error, and
//! the operator is told once, loudly, rather than once per request.
use super::StorageError;
use diesel::result::Error as DieselError;
use std::sync::atomic::{AtomicU64, Ordering};

/// What each backend says when it cannot grow a file: SQLite's SQLITE_FULL,
/// and PostgreSQL's disk_full (53100), whose text carries the OS's ENOSPC.
const FULL_MESSAGES: [&str; 2] = ["database or disk is full", "no space left on device"];

/// Within this many seconds of the last loud report, further ones are
/// only counted.
const REPORT_EVERY_SECS: u64 = 600;

static LAST_REPORT: AtomicU64 = AtomicU64::new(0);
static UNREPORTED: AtomicU64 = AtomicU64::new(0);

pub(super) fn is_full(e: &DieselError) -> bool {
    let DieselError::DatabaseError(_, info) = e else {
        return false;
    };
    let message = info.message().to_ascii_lowercase();
    FULL_MESSAGES.iter().any(|m| message.contains(m))
}

/// `e` as a storage error: `Full` (reported) when the disk is full.
pub(super) fn classify(e: DieselError) -> StorageError {
    if !is_full(&e) {
        return StorageError::Query(e);
    }
    let detail = e.to_string();
    report(&detail);
    StorageError::Full(detail)
}

fn report(detail: &str) {
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    let last = LAST_REPORT.load(Ordering::Relaxed);
    let due = last == 0 || now.saturating_sub(last) >= REPORT_EVERY_SECS;
    // One thread wins the report; the others only count.
    if due
        && LAST_REPORT
            .compare_exchange(last, now.max(1), Ordering::Relaxed, Ordering::Relaxed)
            .is_ok()
    {
        let since_last = UNREPORTED.swap(0, Ordering::Relaxed);
        tracing::error!(
            %detail,
            failed_writes_since_last_report = since_last,
            "DISK FULL: the database cannot store anything; answers, sign-ins and \
             changes are refused with 503 until space is freed"
        );
    } else {
        UNREPORTED.fetch_add(1, Ordering::Relaxed);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use diesel::connection::SimpleConnection;
    use diesel::{Connection, SqliteConnection};

    #[test]
    fn sqlite_refusing_to_grow_is_a_full_disk() {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let path = dir.path().join("full.sqlite3");
        let mut conn =
            SqliteConnection::establish(&path.to_string_lossy()).unwrap_or_else(|e| panic!("{e}"));
        // A file capped at a few pages fails as a full disk does.
        conn.batch_execute("CREATE TABLE t (x TEXT); PRAGMA max_page_count = 3;")
            .unwrap_or_else(|e| panic!("{e}"));
        let mut failed = None;
        for _ in 0..100 {
            if let Err(e) = conn.batch_execute("INSERT INTO t VALUES (hex(randomblob(2000)))") {
                failed = Some(e);
                break;
            }
        }
        let e = failed.unwrap_or_else(|| panic!("the capped file never filled"));
        assert!(is_full(&e), "{e}");
        assert!(matches!(classify(e), StorageError::Full(_)));
    }

    #[test]
    fn postgres_out_of_space_is_a_full_disk() {
        #[derive(Debug)]
        struct Info(&'static str);
        impl diesel::result::DatabaseErrorInformation for Info {
            fn message(&self) -> &str {
                self.0
            }
            fn details(&self) -> Option<&str> {
                None
            }
            fn hint(&self) -> Option<&str> {
                None
            }
            fn table_name(&self) -> Option<&str> {
                None
            }
            fn column_name(&self) -> Option<&str> {
                None
            }
            fn constraint_name(&self) -> Option<&str> {
                None
            }
            fn statement_position(&self) -> Option<i32> {
                None
            }
        }
        let error = |m: &'static str| {
            DieselError::DatabaseError(
                diesel::result::DatabaseErrorKind::Unknown,
                Box::new(Info(m)),
            )
        };
        // PostgreSQL's words when a table or its log cannot grow.
        assert!(is_full(&error(
            "could not extend file \"base/16384/16402\": No space left on device"
        )));
        assert!(is_full(&error(
            "could not write to file \"pg_wal/xlogtemp.123\": No space left on device"
        )));
        assert!(!is_full(&error("deadlock detected")));
        assert!(!is_full(&DieselError::NotFound));
    }
}
