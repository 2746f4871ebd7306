//! Command line: every subcommand shares `--database`.
mod codebook;
mod data;
mod run;
mod users;

pub use run::run;

use clap::{Parser, Subcommand};
use std::path::PathBuf;

pub const DEFAULT_DATABASE: &str = "data/consult.sqlite3";

#[derive(Debug, Parser)]
#[command(
    name = "consult",
    version,
    about = "Member consultations and survey analysis"
)]
pub struct Cli {
    /// Database: an SQLite file path, sqlite://path, or postgres://user@host/db.
    #[arg(long, global = true, env = "CONSULT_DATABASE", default_value = DEFAULT_DATABASE)]
    pub database: String,

    #[command(subcommand)]
    pub command: Command,
}

/// Where consultation definitions are read from.
#[derive(Debug, Clone, clap::Args)]
pub struct Definitions {
    /// Folder of consultation definitions (*.json).
    #[arg(
        long = "consultations",
        env = "CONSULT_CONSULTATIONS",
        default_value = "fixtures/consultations"
    )]
    pub dir: PathBuf,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Start the web service with the consultations of --consultations loaded.
    Serve(ServeArgs),
    /// Work with consultation definitions.
    #[command(subcommand)]
    Consultations(ConsultationsCommand),
    /// Apply pending database migrations (run once per deployment upgrade;
    /// `serve` applies them itself only on SQLite).
    Migrate,
    /// Copy every row of one database into another, new one (e.g. an SQLite
    /// deployment into PostgreSQL), then compare the row counts per table.
    Copy {
        /// Database to read: a path, sqlite://path or postgres://...
        #[arg(long)]
        from: String,
        /// Database to create and fill; it must be empty.
        #[arg(long)]
        to: String,
    },
    /// Accounts for staff, researchers and administrators.
    #[command(subcommand)]
    Users(UsersCommand),
    /// Invitation links for invite-only consultations.
    #[command(subcommand)]
    Invitations(InvitationsCommand),
    /// Personal-data housekeeping.
    #[command(subcommand)]
    Retention(RetentionCommand),
    /// Synthetic data for demonstrations and tests.
    #[command(subcommand)]
    Fixtures(FixturesCommand),
    /// Bring responses in from files.
    #[command(subcommand)]
    Responses(ResponsesCommand),
    /// Codebooks for free-text questions.
    #[command(subcommand)]
    Codebook(CodebookCommand),
    /// Download a consultation's responses: anonymised (k-anonymous over the
    /// quasi-identifiers, identifiers removed, free text scrubbed) unless
    /// --identified.
    Export {
        #[arg(long)]
        consultation: String,
        /// csv, parquet, json or datapackage (a zip with the codebook).
        #[arg(long)]
        format: String,
        /// Smallest group over the quasi-identifiers (at least 2).
        #[arg(long, default_value_t = 5)]
        k: usize,
        /// Everything as stored, identifying answers included (staff only).
        #[arg(long)]
        identified: bool,
        #[arg(long)]
        out: PathBuf,
        #[command(flatten)]
        consultations: Definitions,
    },
    /// Write every closed question's breakdown and every coded free-text
    /// question's themes (CSV, SVG, PNG) and a self-contained HTML report
    /// with the headlines, tables, charts and scrubbed quotes.
    Report {
        #[arg(long)]
        consultation: String,
        /// Folder to write into (created if needed).
        #[arg(long)]
        out: PathBuf,
        /// The single-choice question every table is broken down by.
        #[arg(long, default_value = "stakeholder_group")]
        by: String,
        #[command(flatten)]
        consultations: Definitions,
    },
}

#[derive(Debug, Subcommand)]
pub enum UsersCommand {
    /// Create an account. Prints only JSON on stdout:
    /// {"email", "role", "password", "token"} (a one-time password for the
    /// web and an API token for `Authorization: Bearer`). Neither is stored.
    Create {
        #[arg(long)]
        email: String,
        /// admin, staff or researcher.
        #[arg(long)]
        role: String,
    },
    /// Revoke every API token of an account.
    RevokeToken {
        #[arg(long)]
        email: String,
    },
    /// Disable an account: its tokens and sessions stop working.
    Disable {
        #[arg(long)]
        email: String,
    },
}

#[derive(Debug, Subcommand)]
pub enum InvitationsCommand {
    /// One single-use link per email address in FILE (one per line).
    /// Prints CSV `email,link` on stdout for a mail merge; addresses
    /// invited before are skipped and listed on stderr.
    Create {
        #[arg(long)]
        consultation: String,
        #[arg(long)]
        emails: PathBuf,
        /// The service's public address, for the links.
        #[arg(
            long,
            env = "CONSULT_BASE_URL",
            default_value = "http://localhost:8080"
        )]
        base_url: String,
        #[command(flatten)]
        consultations: Definitions,
    },
}

#[derive(Debug, Subcommand)]
pub enum RetentionCommand {
    /// Erase, for good, the identifying answers (those the definition marks
    /// `identifier`) of responses older than their consultation's
    /// `retention_days`, and report what was erased.
    Run {
        /// Run as if it were this time (RFC 3339); default now.
        #[arg(long)]
        as_of: Option<String>,
        #[command(flatten)]
        consultations: Definitions,
    },
}

#[derive(Debug, Subcommand)]
pub enum FixturesCommand {
    /// Write synthetic responses made from a profile (fixtures/profiles);
    /// the same seed always gives the same file.
    Generate {
        #[arg(long, default_value_t = 2020)]
        seed: u64,
        /// How many responses (default: the profile's own number).
        #[arg(long)]
        n: Option<usize>,
        #[arg(
            long,
            default_value = "fixtures/profiles/next-steps-for-system-working.json"
        )]
        profile: PathBuf,
        #[command(flatten)]
        consultations: Definitions,
        /// Where to write (default: standard output).
        #[arg(long, conflicts_with = "into_database")]
        out: Option<PathBuf>,
        /// Store the responses straight into --database instead, in batches
        /// (for data at scale: a million in well under a minute).
        #[arg(long)]
        into_database: bool,
    },
}

#[derive(Debug, Subcommand)]
pub enum ResponsesCommand {
    /// Load responses from CSV or JSON. Every row is checked with the API's
    /// rules; either all rows are stored or none, and every bad row and
    /// column is listed.
    Import {
        file: PathBuf,
        /// The consultation's slug (optional when a JSON file names it).
        #[arg(long)]
        consultation: Option<String>,
        #[command(flatten)]
        consultations: Definitions,
    },
}

#[derive(Debug, Subcommand)]
pub enum CodebookCommand {
    /// Add a codebook file's themes to its consultation (those whose label
    /// is there already are kept). With --code SHARE, the file's phrase
    /// rules also code that share of each question's answers, oldest
    /// first, skipping any already coded; their history says so.
    Load {
        file: PathBuf,
        #[arg(long)]
        code: Option<f64>,
        /// Only this question's themes (and codings).
        #[arg(long)]
        question: Option<String>,
        #[command(flatten)]
        consultations: Definitions,
    },
}

#[derive(Debug, clap::Args, Clone)]
pub struct ServeArgs {
    /// Address to listen on.
    #[arg(long, env = "CONSULT_BIND", default_value = "127.0.0.1:8080")]
    pub bind: String,
    #[command(flatten)]
    pub consultations: Definitions,
    /// Folder holding the front end (templates are built in; static files
    /// and node_modules/nhsuk-frontend are served from here).
    #[arg(long, env = "CONSULT_FRONTEND", default_value = "frontend")]
    pub frontend: PathBuf,
    /// Most database connections this instance holds. With PostgreSQL,
    /// instances × pool size must stay below the server's max_connections.
    #[arg(long, env = "CONSULT_DB_POOL_SIZE", default_value_t = 8)]
    pub db_pool_size: u32,
    /// Submissions per minute from one client address (0: no limit).
    #[arg(long, env = "CONSULT_RATE_LIMIT_SUBMISSIONS", default_value_t = 60)]
    pub rate_limit_submissions: u32,
    /// Sign-in attempts per minute from one client address (0: no limit).
    #[arg(long, env = "CONSULT_RATE_LIMIT_SIGN_IN", default_value_t = 10)]
    pub rate_limit_sign_in: u32,
    /// Read the client address from X-Forwarded-For: the value the proxy
    /// appended (only behind a proxy that appends it, such as the nginx
    /// example).
    #[arg(long, env = "CONSULT_TRUST_FORWARDED_FOR", default_value_t = false)]
    pub trust_forwarded_for: bool,
    /// Read the client address from the standard `Forwarded: for=` header
    /// instead (only behind a proxy that appends it).
    #[arg(
        long,
        env = "CONSULT_TRUST_FORWARDED_HEADER",
        default_value_t = false,
        conflicts_with = "trust_forwarded_for"
    )]
    pub trust_forwarded_header: bool,
    /// How many proxies in front each append to that header: the client's
    /// address is this many values from the right.
    #[arg(long, env = "CONSULT_TRUSTED_PROXIES", default_value = "1")]
    pub trusted_proxies: std::num::NonZeroUsize,
    /// The address people reach the service at, such as
    /// https://consult.example.org: members' private links are built from
    /// it (from the request's Host when unset).
    #[arg(long, env = "CONSULT_PUBLIC_URL")]
    pub public_url: Option<crate::web::site::PublicUrl>,
}

#[derive(Debug, Subcommand)]
pub enum ConsultationsCommand {
    /// Check definition files and list every error with where it is.
    Validate {
        #[arg(required = true)]
        files: Vec<PathBuf>,
    },
    /// List the consultations recorded in the database.
    List,
}
