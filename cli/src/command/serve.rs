//! `creditbank serve [--rulesets DIR] [--addr 127.0.0.1:8080] [--admin-token-file FILE] ...`:
//! the HTTP service (docs/SERVICE.md). All of it lives in `creditbank-service`; this verb
//! only turns flags and the environment into its `Config`.

use crate::error::CliError;
use creditbank_service::Config;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Duration;

/// `creditbank serve`
#[derive(Debug, clap::Args)]
pub struct ServeArgs {
    /// The directory of ruleset versions to serve.
    #[arg(long, value_name = "DIR", default_value = "rulesets")]
    pub rulesets: PathBuf,
    /// Where to listen; port 0 picks a free port (the bound address is printed).
    #[arg(long, value_name = "HOST:PORT", default_value = "127.0.0.1:8080")]
    pub addr: SocketAddr,
    /// A file holding the admin bearer token (else the CREDITBANK_ADMIN_TOKEN environment
    /// variable); without one, admin routes answer 403.
    #[arg(long, value_name = "FILE")]
    pub admin_token_file: Option<PathBuf>,
    /// A file holding the evaluation bearer token (else CREDITBANK_EVALUATION_TOKEN); without
    /// one, the evaluation routes are open.
    #[arg(long, value_name = "FILE")]
    pub evaluation_token_file: Option<PathBuf>,
    /// An origin allowed to call from a browser (repeat for more; `*` for any).
    #[arg(long, value_name = "ORIGIN")]
    pub cors_origin: Vec<String>,
    /// The largest body of a single-learner request, in bytes.
    #[arg(long, value_name = "BYTES", default_value_t = 1024 * 1024)]
    pub body_limit: usize,
    /// The largest body of a cohort request (batch, dry-run, stats) or a ruleset source.
    #[arg(long, value_name = "BYTES", default_value_t = 64 * 1024 * 1024)]
    pub cohort_body_limit: usize,
    /// Seconds a request may take before it is answered 408.
    #[arg(long, value_name = "SECONDS", default_value_t = 30)]
    pub timeout: u64,
    /// Reload when a ruleset file under --rulesets changes (polled every second).
    #[arg(long)]
    pub watch: bool,
    /// Append one NDJSON line per decision to FILE (decision id, time, version and hash,
    /// SHA-256 of the learner id, result summary); SIGHUP opens FILE again, after a rotation.
    #[arg(long, value_name = "FILE")]
    pub decision_log: Option<PathBuf>,
    /// How log lines on standard error are written: `text` (readable) or `json` (one object
    /// per line, for a log collector). `RUST_LOG` filters them.
    #[arg(long, value_enum, value_name = "FORMAT", default_value_t = LogFormatArg::Text)]
    pub log_format: LogFormatArg,
}

/// The `--log-format` values.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum LogFormatArg {
    /// One readable line per event.
    Text,
    /// One JSON object per line.
    Json,
}

/// A token from a file, else from an environment variable.
fn token(file: Option<&Path>, variable: &str) -> Result<Option<String>, CliError> {
    match file {
        Some(path) => std::fs::read_to_string(path)
            .map(|t| Some(t.trim().to_string()))
            .map_err(|source| CliError::Read {
                path: path.to_path_buf(),
                source,
            }),
        None => Ok(std::env::var(variable).ok()),
    }
}

/// Serves until SIGTERM or ctrl-c.
pub fn run(args: &ServeArgs) -> Result<ExitCode, CliError> {
    let config = Config {
        rulesets: args.rulesets.clone(),
        addr: args.addr,
        admin_token: token(args.admin_token_file.as_deref(), "CREDITBANK_ADMIN_TOKEN")?,
        evaluation_token: token(
            args.evaluation_token_file.as_deref(),
            "CREDITBANK_EVALUATION_TOKEN",
        )?,
        cors_origins: args.cors_origin.clone(),
        body_limit: args.body_limit,
        cohort_body_limit: args.cohort_body_limit,
        timeout: Duration::from_secs(args.timeout),
        watch: args.watch,
        decision_log: args.decision_log.clone(),
    };
    creditbank_service::init_logging(match args.log_format {
        LogFormatArg::Text => creditbank_service::LogFormat::Text,
        LogFormatArg::Json => creditbank_service::LogFormat::Json,
    });
    creditbank_service::serve_blocking(config).map_err(|e| CliError::Serve(e.to_string()))?;
    Ok(ExitCode::SUCCESS)
}
