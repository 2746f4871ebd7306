//! Diesel storage. Everything here is blocking: the web layer calls it
//! through `web::block` so database work stays off the async workers.
//!
//! Error rule: functions here return `StorageError`; the web layer maps it
//! to HTTP, the CLI prints it. Nothing above this module sees diesel types.
mod consultations;
mod drafts;
mod responses;
pub mod schema;

pub use consultations::{ConsultationSummary, StoredConsultation};
pub use drafts::Draft;
pub use responses::{NewSubmission, StoredAnswer, StoredResponse, SubmitOutcome};

use diesel::connection::SimpleConnection;
use diesel::r2d2::{ConnectionManager, CustomizeConnection, Pool, PooledConnection};
use diesel::sqlite::SqliteConnection;
use diesel_migrations::{EmbeddedMigrations, MigrationHarness, embed_migrations};
use std::path::Path;
use std::time::Duration;

/// The connection type every query is written against.
pub type Conn = SqliteConnection;
type Pooled = PooledConnection<ConnectionManager<Conn>>;

const SQLITE_MIGRATIONS: EmbeddedMigrations = embed_migrations!("migrations/sqlite");

#[derive(Debug, thiserror::Error)]
pub enum StorageError {
    #[error("could not open the database: {0}")]
    Open(String),
    #[error("could not get a database connection: {0}")]
    Pool(#[from] diesel::r2d2::PoolError),
    #[error("database error: {0}")]
    Query(#[from] diesel::result::Error),
    #[error("could not apply migrations: {0}")]
    Migration(String),
    #[error("stored data is inconsistent: {0}")]
    Corrupt(String),
    #[error("this submission_id was already used with different answers")]
    SubmissionConflict,
}

#[derive(Debug)]
struct Pragmas;

impl CustomizeConnection<Conn, diesel::r2d2::Error> for Pragmas {
    fn on_acquire(&self, conn: &mut Conn) -> Result<(), diesel::r2d2::Error> {
        // The busy timeout comes first so that the others queue instead of
        // failing while another connection holds the lock. FULL makes a commit
        // durable before we acknowledge it. WAL itself is set once, in `open`.
        conn.batch_execute(
            "PRAGMA busy_timeout = 10000; PRAGMA synchronous = FULL; PRAGMA foreign_keys = ON;",
        )
        .map_err(diesel::r2d2::Error::QueryError)
    }
}

/// Handle on the database: a connection pool, cheap to clone.
#[derive(Clone)]
pub struct Store {
    pool: Pool<ConnectionManager<Conn>>,
}

impl Store {
    /// Opens (creating if needed) the database at `url` — a path or
    /// `sqlite://path` — and applies pending migrations.
    pub fn open(url: &str) -> Result<Store, StorageError> {
        let path = url.strip_prefix("sqlite://").unwrap_or(url);
        if path.is_empty() {
            return Err(StorageError::Open("the database path is empty".into()));
        }
        if let Some(dir) = Path::new(path)
            .parent()
            .filter(|d| !d.as_os_str().is_empty())
        {
            std::fs::create_dir_all(dir)
                .map_err(|e| StorageError::Open(format!("cannot create {}: {e}", dir.display())))?;
        }
        let pool = Pool::builder()
            .max_size(8)
            .min_idle(Some(1))
            .connection_timeout(Duration::from_secs(30))
            .connection_customizer(Box::new(Pragmas))
            .build(ConnectionManager::<Conn>::new(path))
            .map_err(|e| StorageError::Open(e.to_string()))?;
        let store = Store { pool };
        store.migrate()?;
        Ok(store)
    }

    fn migrate(&self) -> Result<(), StorageError> {
        let mut conn = self.conn()?;
        // Persistent in the file: readers then work beside the one writer.
        conn.batch_execute("PRAGMA journal_mode = WAL;")?;
        conn.run_pending_migrations(SQLITE_MIGRATIONS)
            .map_err(|e| StorageError::Migration(e.to_string()))?;
        Ok(())
    }

    fn conn(&self) -> Result<Pooled, StorageError> {
        Ok(self.pool.get()?)
    }

    /// `PRAGMA integrity_check`: "ok" when the file is sound.
    pub fn integrity_check(&self) -> Result<String, StorageError> {
        use diesel::RunQueryDsl;
        #[derive(diesel::QueryableByName)]
        struct Row {
            #[diesel(sql_type = diesel::sql_types::Text)]
            integrity_check: String,
        }
        let rows: Vec<Row> =
            diesel::sql_query("PRAGMA integrity_check").load(&mut *self.conn()?)?;
        Ok(rows
            .into_iter()
            .map(|r| r.integrity_check)
            .collect::<Vec<_>>()
            .join("\n"))
    }
}

fn now() -> chrono::NaiveDateTime {
    chrono::Utc::now().naive_utc()
}
