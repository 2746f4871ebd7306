//! A disposable database per test: a temporary SQLite file, or a fresh
//! PostgreSQL database (when `CONSULT_TEST_POSTGRES_URL` names a server)
//! that is dropped when the test ends.
use diesel::{Connection, RunQueryDsl, pg::PgConnection};
use std::io::Write;
use std::sync::Once;
use tempfile::TempDir;

pub const POSTGRES_ENV: &str = "CONSULT_TEST_POSTGRES_URL";
/// Set to 1 (as CI does) to make a missing server a failure, not a skip.
pub const REQUIRE_ENV: &str = "CONSULT_REQUIRE_POSTGRES";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

pub struct TestDb {
    pub url: String,
    pub backend: Backend,
    // The folder of the SQLite file, and scratch space for any test.
    pub dir: TempDir,
    postgres: Option<(String, String)>,
}

/// The PostgreSQL server for tests, if configured. When it is not, says so
/// on the terminal (past the test harness's output capture) once per test
/// binary, so that a skipped suite is never mistaken for a passing one.
pub fn postgres_admin_url() -> Option<String> {
    static WARN: Once = Once::new();
    match std::env::var(POSTGRES_ENV) {
        Ok(url) if !url.trim().is_empty() => Some(without_tls(&url)),
        _ if std::env::var(REQUIRE_ENV).is_ok_and(|v| v == "1") => {
            panic!("{REQUIRE_ENV}=1 but {POSTGRES_ENV} is not set: the PostgreSQL tests cannot run")
        }
        _ => {
            WARN.call_once(|| {
                let _ = writeln!(
                    std::io::stderr(),
                    "\n*** PostgreSQL tests SKIPPED: {POSTGRES_ENV} is not set. \
                     Set it (e.g. postgres://postgres@127.0.0.1:5432/postgres) to run them. ***\n"
                );
            });
            None
        }
    }
}

/// Test servers are left running when a test ends, and the process exits
/// under them; libpq's TLS state can then be freed twice at exit. The test
/// server is local, so tests connect without TLS unless the URL says
/// otherwise.
fn without_tls(admin: &str) -> String {
    let Ok(mut url) = url::Url::parse(admin) else {
        return admin.to_owned();
    };
    if !url.query_pairs().any(|(k, _)| k == "sslmode") {
        url.query_pairs_mut().append_pair("sslmode", "disable");
    }
    url.to_string()
}

/// `postgres://u@h:5432/postgres?x=y` with the database name replaced.
fn with_database(admin: &str, name: &str) -> String {
    let mut url = url::Url::parse(admin).expect("CONSULT_TEST_POSTGRES_URL is a URL");
    url.set_path(&format!("/{name}"));
    url.to_string()
}

impl TestDb {
    /// None when the backend is PostgreSQL and no server is configured.
    pub fn new(backend: Backend) -> Option<TestDb> {
        TestDb::create(backend, true)
    }

    /// A PostgreSQL database left without tables, as a new deployment's is.
    pub fn unmigrated_postgres() -> Option<TestDb> {
        TestDb::create(Backend::Postgres, false)
    }

    fn create(backend: Backend, migrate: bool) -> Option<TestDb> {
        let dir = tempfile::tempdir().expect("temp dir");
        match backend {
            Backend::Sqlite => {
                let url = dir
                    .path()
                    .join("test.sqlite3")
                    .to_string_lossy()
                    .into_owned();
                Some(TestDb {
                    url,
                    backend,
                    dir,
                    postgres: None,
                })
            }
            Backend::Postgres => {
                let admin = postgres_admin_url()?;
                let name = format!("consult_test_{}", uuid::Uuid::now_v7().simple());
                let mut conn = PgConnection::establish(&admin)
                    .unwrap_or_else(|e| panic!("{POSTGRES_ENV} is set but unreachable: {e}"));
                diesel::sql_query(format!("CREATE DATABASE {name}"))
                    .execute(&mut conn)
                    .expect("create test database");
                let url = with_database(&admin, &name);
                // Migrated here, as `consult migrate` does in a deployment.
                if migrate {
                    consult::storage::Store::open_with(
                        &url,
                        consult::storage::StoreOptions {
                            migrate: Some(true),
                            pool_size: 1,
                        },
                    )
                    .expect("migrate test database");
                }
                Some(TestDb {
                    url,
                    backend,
                    dir,
                    postgres: Some((admin, name)),
                })
            }
        }
    }
}

impl Drop for TestDb {
    fn drop(&mut self) {
        if let Some((admin, name)) = &self.postgres
            && let Ok(mut conn) = PgConnection::establish(admin)
        {
            // FORCE ends the connections of a server still running.
            let _ = diesel::sql_query(format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
                .execute(&mut conn);
        }
    }
}

/// Declares each listed `async fn name(backend: Backend)` as two tests:
/// `sqlite::name` always and `postgres::name` when a server is configured.
#[macro_export]
macro_rules! on_both_backends {
    ($($(#[$attr:meta])* $name:ident),* $(,)?) => {
        mod sqlite {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
                $(#[$attr])*
                async fn $name() {
                    super::$name($crate::common::Backend::Sqlite).await
                }
            )*
        }
        mod postgres {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
                $(#[$attr])*
                async fn $name() {
                    if $crate::common::postgres_admin_url().is_some() {
                        super::$name($crate::common::Backend::Postgres).await
                    }
                }
            )*
        }
    };
}
