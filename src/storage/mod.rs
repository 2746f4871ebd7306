//! Diesel storage. Everything here is blocking: the web layer calls it
//! through `web::block` so database work stays off the async workers.
//!
//! Error rule: functions here return `StorageError`; the web layer maps it
//! to HTTP, the CLI prints it. Nothing above this module sees diesel types.
mod accounts;
mod backend;
mod backfill;
mod bulk;
mod code_many;
mod coding_reads;
mod codings;
mod consultations;
mod copy;
mod current;
mod drafts;
mod full;
mod group_commit;
mod import;
mod introspect;
mod invitations;
mod responses;
mod retention;
pub mod schema;
mod stamp;
mod submit;
mod texts;
mod themes;
mod withdraw;

pub use accounts::{AuditEntry, Credentials, User};
pub use backend::{AnyConnection, DatabaseUrl};
pub use bulk::{BulkLoad, NewRow};
pub use coding_reads::CodingEntry;
pub use consultations::{ConsultationSummary, Schedule, StoredConsultation};
pub use copy::{TableCounts, describe as describe_counts};
pub use current::{ClosedRow, CurrentResponse, Versioned};
pub use drafts::Draft;
pub use group_commit::{GroupCommit, Pending};
pub use import::ImportOutcome;
pub use introspect::{ColumnShape, SchemaShape, TableShape};
pub use invitations::Redeemed;
pub use responses::{Channel, NewSubmission, StoredResponse, SubmitOutcome};
pub use themes::{CountedTheme, ThemeChange};

use backend::Manager;
use diesel::r2d2::{Pool, PooledConnection};
use std::time::Duration;

/// The connection type every query is written against.
pub type Conn = AnyConnection;
type Pooled = PooledConnection<Manager>;

#[derive(Debug, thiserror::Error)]
pub enum StorageError {
    #[error("could not open the database: {0}")]
    Open(String),
    #[error("could not get a database connection: {0}")]
    Pool(#[from] diesel::r2d2::PoolError),
    /// Any other database failure (a full disk is `Full`).
    #[error("database error: {0}")]
    Query(#[source] diesel::result::Error),
    #[error("could not apply migrations: {0}")]
    Migration(String),
    #[error("the database at {0} has {1} migration(s) to apply: run `consult migrate` first")]
    NotMigrated(DatabaseUrl, usize),
    #[error("stored data is inconsistent: {0}")]
    Corrupt(String),
    #[error("this submission_id was already used with different answers")]
    SubmissionConflict,
    /// `responses import`: this row (counted from 1) reuses a submission_id
    /// stored with other answers; nothing was imported.
    #[error("row {row}: submission_id was already stored with other answers")]
    ImportConflict { row: usize },
    #[error("an account for {0} already exists")]
    AccountExists(String),
    #[error("no consultation {0}")]
    NoConsultation(uuid::Uuid),
    #[error("the target database {target} is not empty ({counts}); copy only into a new database")]
    CopyTargetNotEmpty { target: DatabaseUrl, counts: String },
    #[error(
        "row counts differ after the copy, nothing was kept: source {expected}, target {copied}"
    )]
    CopyCountsDiffer { expected: String, copied: String },
    /// The group-commit writer has gone: nothing more can be submitted.
    #[error("the submission writer has stopped")]
    WriterStopped,
    /// The writer thread could not be started.
    #[error("could not start the submission writer")]
    WriterStart(#[source] std::io::Error),
    /// Answers or a definition could not be turned into their stored form.
    #[error("could not encode a stored document")]
    Encode(#[from] serde_json::Error),
    /// The response (or the draft linked to it) was withdrawn meanwhile.
    #[error("this response has been withdrawn")]
    Withdrawn,
    /// A live theme of the question already has this label (in any case).
    #[error("the question already has a theme labelled '{0}'")]
    ThemeLabelTaken(String),
    /// No live theme with this id in the question's codebook.
    #[error("the question has no theme {0}")]
    NoTheme(crate::domain::coding::ThemeId),
    #[error("a theme cannot be merged into itself ({0})")]
    MergeIntoItself(crate::domain::coding::ThemeId),
    /// The response is not this consultation's, or has no answer to the
    /// question (a blank one is none).
    #[error("no such answer")]
    NoAnswer,
    /// Nothing can be written: the disk (or the database server's) is full.
    #[error("the database cannot store anything: its disk is full ({0})")]
    Full(String),
}

impl From<diesel::result::Error> for StorageError {
    fn from(e: diesel::result::Error) -> Self {
        full::classify(e)
    }
}

/// How a store is opened.
#[derive(Debug, Clone, Copy)]
pub struct StoreOptions {
    /// Most connections this process holds open.
    pub pool_size: u32,
    /// Apply pending migrations on open; otherwise a schema that is behind
    /// is an error. `None` migrates an SQLite file (one machine, nothing to
    /// race) but not PostgreSQL, where one `consult migrate` upgrades a
    /// deployment of several instances.
    pub migrate: Option<bool>,
}

impl Default for StoreOptions {
    fn default() -> Self {
        StoreOptions {
            pool_size: 8,
            migrate: None,
        }
    }
}

/// Handle on the database: a connection pool, cheap to clone.
#[derive(Clone)]
pub struct Store {
    pool: Pool<Manager>,
    url: DatabaseUrl,
}

impl Store {
    /// Opens the database at `url` (a path, `sqlite://path` or
    /// `postgres://...`) with the default options.
    pub fn open(url: &str) -> Result<Store, StorageError> {
        Store::open_with(url, StoreOptions::default())
    }

    pub fn open_with(url: &str, options: StoreOptions) -> Result<Store, StorageError> {
        let store = Store::connect(url, options.pool_size)?;
        let migrate = options
            .migrate
            .unwrap_or(matches!(store.url, DatabaseUrl::Sqlite(_)));
        if migrate {
            store.migrate()?;
        } else {
            let pending = backend::pending_migrations(&mut *store.conn()?)
                .map_err(StorageError::Migration)?;
            if pending > 0 {
                return Err(StorageError::NotMigrated(store.url.clone(), pending));
            }
        }
        Ok(store)
    }

    /// A pool on `url`, with no look at the schema (for `consult migrate`).
    pub fn connect(url: &str, pool_size: u32) -> Result<Store, StorageError> {
        let url = DatabaseUrl::parse(url).map_err(StorageError::Open)?;
        backend::prepare(&url).map_err(StorageError::Open)?;
        let manager = Manager::new(url.clone());
        // One connection first: a wrong address fails now, with the
        // server's own words, rather than after the pool's retries.
        drop(
            manager
                .connect_now()
                .map_err(|e| StorageError::Open(format!("{url}: {e}")))?,
        );
        let pool = Pool::builder()
            .max_size(pool_size.max(1))
            // No background connects: a short-lived command can then exit while
            // no thread is inside libpq (which crashes at exit otherwise).
            .min_idle(Some(0))
            .connection_timeout(Duration::from_secs(30))
            .build(manager)
            .map_err(|e| StorageError::Open(format!("{url}: {e}")))?;
        Ok(Store { pool, url })
    }

    /// Applies pending migrations; returns the versions applied.
    pub fn migrate(&self) -> Result<Vec<String>, StorageError> {
        let applied =
            backend::run_migrations(&mut *self.conn()?).map_err(StorageError::Migration)?;
        self.fill_current()?;
        self.mark_free_text(&applied)?;
        Ok(applied)
    }

    pub fn url(&self) -> &DatabaseUrl {
        &self.url
    }

    fn conn(&self) -> Result<Pooled, StorageError> {
        Ok(self.pool.get()?)
    }

    /// A consistency check of the whole database: SQLite's
    /// `PRAGMA integrity_check` ("ok" when sound); PostgreSQL checks its own
    /// pages, so there it reports "ok" once the server answers.
    pub fn integrity_check(&self) -> Result<String, StorageError> {
        use diesel::RunQueryDsl;
        use diesel::connection::SimpleConnection;
        #[derive(diesel::QueryableByName)]
        struct Row {
            #[diesel(sql_type = diesel::sql_types::Text)]
            integrity_check: String,
        }
        let mut conn = self.conn()?;
        match &mut *conn {
            AnyConnection::Sqlite(c) => {
                let rows: Vec<Row> = diesel::sql_query("PRAGMA integrity_check").load(c)?;
                Ok(rows
                    .into_iter()
                    .map(|r| r.integrity_check)
                    .collect::<Vec<_>>()
                    .join("\n"))
            }
            AnyConnection::Postgres(c) => {
                c.batch_execute("SELECT 1")?;
                Ok("ok".into())
            }
        }
    }
}

/// An id read back from the database.
fn parse_uuid(s: &str) -> Result<uuid::Uuid, StorageError> {
    uuid::Uuid::parse_str(s).map_err(|e| StorageError::Corrupt(format!("id {s}: {e}")))
}

fn now() -> chrono::NaiveDateTime {
    chrono::Utc::now().naive_utc()
}
