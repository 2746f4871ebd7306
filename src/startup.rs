//! Building and running the HTTP server.
use crate::analysis::ResultsCache;
use crate::catalogue::Catalogue;
use crate::storage::{Store, StoreOptions};
use crate::web::{self, AppState};
use actix_web::dev::Server;
use actix_web::{App, HttpServer, web::Data};
use std::net::TcpListener;
use std::path::PathBuf;

#[derive(Debug, Clone)]
pub struct Settings {
    pub bind: String,
    pub database: String,
    pub consultations: PathBuf,
    pub frontend: PathBuf,
    pub db_pool_size: u32,
    pub limits: crate::web::limits::LimitSettings,
    /// Where people reach the service; links are built from the request
    /// when unset.
    pub public_url: Option<crate::web::site::PublicUrl>,
}

pub struct Application {
    port: u16,
    server: Server,
}

impl Application {
    /// Opens the database, loads the consultations and binds the listener
    /// (port 0 picks a free port, as tests do).
    pub async fn build(settings: Settings) -> anyhow::Result<Application> {
        let (store, catalogue) = {
            let s = settings.clone();
            actix_web::web::block(move || -> anyhow::Result<_> {
                let store = Store::open_with(
                    &s.database,
                    StoreOptions {
                        pool_size: s.db_pool_size,
                        ..StoreOptions::default()
                    },
                )?;
                let catalogue = Catalogue::load(&s.consultations, &store)?;
                Ok((store, catalogue))
            })
            .await??
        };
        let listener = TcpListener::bind(&settings.bind)
            .map_err(|e| anyhow::anyhow!("cannot listen on {}: {e}", settings.bind))?;
        let port = listener.local_addr()?.port();
        // Beside an SQLite file; PostgreSQL instances rebuild from the database.
        let results = ResultsCache::persisted_in(match store.url() {
            crate::storage::DatabaseUrl::Sqlite(path) => {
                Some(std::path::PathBuf::from(format!("{path}.analysis")))
            }
            crate::storage::DatabaseUrl::Postgres(_) => None,
        });
        let state = Data::new(AppState {
            commits: crate::storage::GroupCommit::start(store.clone())?,
            store,
            catalogue,
            results,
            disclosures: Default::default(),
            limits: crate::web::limits::Limits::new(settings.limits),
            public_url: settings.public_url.clone(),
        });
        let frontend = settings.frontend.clone();
        let server = HttpServer::new(move || {
            App::new()
                .wrap(web::method_not_allowed())
                .wrap(web::security_headers())
                .wrap(tracing_actix_web::TracingLogger::<
                    web::request_log::RedactedSpans,
                >::new())
                .app_data(state.clone())
                .configure(|cfg| web::configure(cfg, &frontend))
        })
        .listen(listener)?
        .run();
        Ok(Application { port, server })
    }

    pub fn port(&self) -> u16 {
        self.port
    }

    pub async fn run_until_stopped(self) -> std::io::Result<()> {
        self.server.await
    }
}
