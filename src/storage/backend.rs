//! The two database backends behind one connection type. The URL picks one:
//! `postgres://` or `postgresql://` for PostgreSQL, anything else (a path or
//! `sqlite://path`) for an SQLite file.
use diesel::Connection;
use diesel::connection::{AnsiTransactionManager, SimpleConnection, TransactionManager};
use diesel::pg::PgConnection;
use diesel::r2d2::ManageConnection;
use diesel::sqlite::SqliteConnection;
use diesel_migrations::{EmbeddedMigrations, MigrationHarness, embed_migrations};
use std::fmt;
use std::path::Path;

const SQLITE_MIGRATIONS: EmbeddedMigrations = embed_migrations!("migrations/sqlite");
const POSTGRES_MIGRATIONS: EmbeddedMigrations = embed_migrations!("migrations/postgresql");

/// Every query is written once against this type.
#[derive(diesel::MultiConnection)]
pub enum AnyConnection {
    Postgres(PgConnection),
    Sqlite(SqliteConnection),
}

/// Where the data lives, parsed once from the configured URL.
#[derive(Clone, PartialEq, Eq)]
pub enum DatabaseUrl {
    Sqlite(String),
    Postgres(String),
}

impl DatabaseUrl {
    pub fn parse(url: &str) -> Result<DatabaseUrl, String> {
        let url = url.trim();
        if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            return Ok(DatabaseUrl::Postgres(url.to_owned()));
        }
        if url.contains("://") && !url.starts_with("sqlite://") {
            return Err(format!(
                "unsupported database URL scheme in {}: use a file path, sqlite://path or postgres://",
                redact(url)
            ));
        }
        let path = url.strip_prefix("sqlite://").unwrap_or(url);
        if path.is_empty() {
            return Err("the database path is empty".into());
        }
        Ok(DatabaseUrl::Sqlite(path.to_owned()))
    }

    pub fn backend_name(&self) -> &'static str {
        match self {
            DatabaseUrl::Sqlite(_) => "sqlite",
            DatabaseUrl::Postgres(_) => "postgresql",
        }
    }
}

/// Shown without any password, so it is safe to log.
impl fmt::Display for DatabaseUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            DatabaseUrl::Sqlite(p) => write!(f, "sqlite://{p}"),
            DatabaseUrl::Postgres(u) => f.write_str(&redact(u)),
        }
    }
}

impl fmt::Debug for DatabaseUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self, f)
    }
}

/// `scheme://user:secret@host` → `scheme://user:***@host`.
fn redact(url: &str) -> String {
    let Some((scheme, rest)) = url.split_once("://") else {
        return url.to_owned();
    };
    match rest.split_once('@') {
        Some((userinfo, host)) => match userinfo.split_once(':') {
            Some((user, _)) => format!("{scheme}://{user}:***@{host}"),
            None => url.to_owned(),
        },
        None => url.to_owned(),
    }
}

/// Opens connections for the pool. Dispatches on the parsed URL instead of
/// trying each backend in turn, so that an unreachable PostgreSQL server is
/// an error and never a new SQLite file named after its URL.
pub struct Manager {
    url: DatabaseUrl,
}

impl Manager {
    pub fn new(url: DatabaseUrl) -> Manager {
        Manager { url }
    }

    pub fn connect_now(&self) -> Result<AnyConnection, diesel::r2d2::Error> {
        match &self.url {
            DatabaseUrl::Postgres(u) => PgConnection::establish(u)
                .map(AnyConnection::Postgres)
                .map_err(diesel::r2d2::Error::ConnectionError),
            DatabaseUrl::Sqlite(path) => {
                let mut conn = SqliteConnection::establish(path)
                    .map_err(diesel::r2d2::Error::ConnectionError)?;
                // The busy timeout comes first so that the others queue
                // instead of failing while another connection holds the lock.
                // FULL makes a commit durable before we acknowledge it.
                // Statement journals (multi-row inserts) stay in memory
                // rather than in temporary files, and a 32 MB page cache
                // holds the pages a batch of submissions touches. The log is
                // capped (`SQLITE_WAL_CAP`).
                conn.batch_execute(&format!(
                    "PRAGMA busy_timeout = 10000; PRAGMA synchronous = FULL; PRAGMA foreign_keys = ON; \
                     PRAGMA temp_store = MEMORY; {SQLITE_CACHE} {SQLITE_WAL_CAP}"
                ))
                .map_err(diesel::r2d2::Error::QueryError)?;
                Ok(AnyConnection::Sqlite(conn))
            }
        }
    }
}

impl ManageConnection for Manager {
    type Connection = AnyConnection;
    type Error = diesel::r2d2::Error;

    fn connect(&self) -> Result<AnyConnection, Self::Error> {
        self.connect_now()
    }

    fn is_valid(&self, conn: &mut AnyConnection) -> Result<(), Self::Error> {
        conn.batch_execute("SELECT 1")
            .map_err(diesel::r2d2::Error::QueryError)
    }

    fn has_broken(&self, conn: &mut AnyConnection) -> bool {
        use diesel::r2d2::R2D2Connection;
        conn.is_broken()
    }
}

/// Creates the folder of an SQLite file so that opening it can succeed.
pub fn prepare(url: &DatabaseUrl) -> Result<(), String> {
    if let DatabaseUrl::Sqlite(path) = url
        && let Some(dir) = Path::new(path)
            .parent()
            .filter(|d| !d.as_os_str().is_empty())
    {
        std::fs::create_dir_all(dir)
            .map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
    }
    Ok(())
}

/// Applies the pending migrations of the connection's backend; returns the
/// versions applied.
pub fn run_migrations(conn: &mut AnyConnection) -> Result<Vec<String>, String> {
    let applied = match conn {
        AnyConnection::Sqlite(c) => {
            // Persistent in the file: readers then work beside the one writer.
            // A new file gets 16 KB pages: with 4 KB ones, storing a million
            // responses took 42 s instead of 31 s.
            c.batch_execute("PRAGMA page_size = 16384; PRAGMA journal_mode = WAL;")
                .map_err(|e| e.to_string())?;
            c.run_pending_migrations(SQLITE_MIGRATIONS)
                .map_err(|e| e.to_string())?
        }
        AnyConnection::Postgres(c) => {
            // Instances started together queue here instead of racing to
            // create the same tables.
            c.batch_execute("SELECT pg_advisory_lock(7262001)")
                .map_err(|e| e.to_string())?;
            let result = c
                .run_pending_migrations(POSTGRES_MIGRATIONS)
                .map(|v| v.iter().map(|m| m.to_string()).collect::<Vec<_>>())
                .map_err(|e| e.to_string());
            c.batch_execute("SELECT pg_advisory_unlock(7262001)")
                .map_err(|e| e.to_string())?;
            return result;
        }
    };
    Ok(applied.iter().map(|v| v.to_string()).collect())
}

/// Migrations not yet applied.
pub fn pending_migrations(conn: &mut AnyConnection) -> Result<usize, String> {
    let pending = match conn {
        AnyConnection::Sqlite(c) => c.pending_migrations(SQLITE_MIGRATIONS).map(|p| p.len()),
        AnyConnection::Postgres(c) => c.pending_migrations(POSTGRES_MIGRATIONS).map(|p| p.len()),
    };
    pending.map_err(|e| e.to_string())
}

/// Every SQLite connection's page cache (32 MB).
pub(super) const SQLITE_CACHE: &str = "PRAGMA cache_size = -32768;";

/// The write-ahead log is copied into the database every 256 pages (4 MB
/// at 16 KB pages) instead of SQLite's 1,000 (16 MB), and cut back to 4 MB
/// once copied, where otherwise it keeps the largest size it ever had: on
/// a small volume the log alone could take the space answers need.
const SQLITE_WAL_CAP: &str =
    "PRAGMA wal_autocheckpoint = 256; PRAGMA journal_size_limit = 4194304;";

/// Inserts many rows inside the caller's transaction. PostgreSQL takes
/// them in one statement: one round trip. SQLite takes one statement per
/// row, prepared once: a statement of many rows copies every page it
/// touches to a journal of its own, so that it can be undone alone, and at
/// a million responses those copies took a fifth of the writer's time.
macro_rules! insert_many {
    ($conn:expr, $table:path, $rows:expr) => {
        match $conn {
            $crate::storage::AnyConnection::Postgres(c) => {
                diesel::insert_into($table).values($rows).execute(c)
            }
            $crate::storage::AnyConnection::Sqlite(c) => $rows.iter().try_fold(0, |n, row| {
                diesel::insert_into($table)
                    .values(row)
                    .execute(&mut *c)
                    .map(|k| n + k)
            }),
        }
    };
}
pub(crate) use insert_many;

/// The first row `query` selects, locked until the transaction ends: one
/// writer at a time for that row on PostgreSQL (FOR UPDATE), as on SQLite,
/// where a write transaction already holds the whole database. Callers
/// that lock several rows lock a draft before its response, and a
/// response before its consultation, so that two never wait for each other.
macro_rules! first_locked {
    ($conn:expr, $query:expr) => {
        match $conn {
            $crate::storage::AnyConnection::Postgres(c) => $query.for_update().first(c).optional(),
            $crate::storage::AnyConnection::Sqlite(c) => $query.first(c).optional(),
        }
    };
}
pub(crate) use first_locked;

/// A transaction that writes. On SQLite it begins IMMEDIATE, taking the
/// write lock up front: a deferred transaction that reads first cannot wait
/// for the lock later and would fail with SQLITE_BUSY instead. PostgreSQL
/// takes row locks as it goes.
pub fn write_transaction<T, E>(
    conn: &mut AnyConnection,
    f: impl FnOnce(&mut AnyConnection) -> Result<T, E>,
) -> Result<T, E>
where
    E: From<diesel::result::Error>,
{
    match conn {
        AnyConnection::Postgres(_) => conn.transaction(f),
        AnyConnection::Sqlite(inner) => {
            AnsiTransactionManager::begin_transaction_sql(inner, "BEGIN IMMEDIATE")?;
            match f(conn) {
                Ok(value) => {
                    <AnyConnection as Connection>::TransactionManager::commit_transaction(conn)?;
                    Ok(value)
                }
                Err(e) => {
                    // The closure's error is the one worth reporting.
                    let _ = <AnyConnection as Connection>::TransactionManager::rollback_transaction(
                        conn,
                    );
                    Err(e)
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_pick_the_backend() {
        assert_eq!(
            DatabaseUrl::parse("data/x.sqlite3"),
            Ok(DatabaseUrl::Sqlite("data/x.sqlite3".into()))
        );
        assert_eq!(
            DatabaseUrl::parse("sqlite:///tmp/x.db"),
            Ok(DatabaseUrl::Sqlite("/tmp/x.db".into()))
        );
        assert_eq!(
            DatabaseUrl::parse("postgres://u@h/db"),
            Ok(DatabaseUrl::Postgres("postgres://u@h/db".into()))
        );
        assert_eq!(
            DatabaseUrl::parse("postgresql://u@h/db"),
            Ok(DatabaseUrl::Postgres("postgresql://u@h/db".into()))
        );
        assert!(DatabaseUrl::parse("mysql://u@h/db").is_err());
        assert!(DatabaseUrl::parse("sqlite://").is_err());
        assert!(DatabaseUrl::parse("").is_err());
    }

    #[test]
    fn passwords_never_show() {
        let url = DatabaseUrl::parse("postgres://app:s3cret@db:5432/consult")
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(url.to_string(), "postgres://app:***@db:5432/consult");
        assert!(!format!("{url:?}").contains("s3cret"));
        assert_eq!(
            DatabaseUrl::parse("postgres://app@db/consult").map(|u| u.to_string()),
            Ok("postgres://app@db/consult".to_string())
        );
    }
}
