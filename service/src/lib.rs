//! The creditbank HTTP service that web frontends call (student side, admin side, portal).
//!
//! [`app()`] builds the whole router from a shared state; [`serve()`] loads the rulesets,
//! binds and runs it until SIGTERM. The router stays thin: it reads requests, calls
//! `creditbank-dsl`, `creditbank-engine` and `creditbank-cohort`, and writes responses.
//! Endpoints, errors, auth, reload and the decision log are described in docs/SERVICE.md.

#![warn(missing_docs)]

pub mod app;
pub mod auth;
pub mod clock;
pub mod conditional;
pub mod config;
pub mod decision_log;
pub mod error;
pub mod extract;
pub mod metrics;
pub mod openapi;
pub mod routes;
pub mod server;
pub mod state;
pub mod timeout;

pub use app::{app, AppState, Shared};
pub use config::Config;
pub use error::ApiError;
pub use server::{serve, serve_blocking, ServeError};
pub use state::{Registry, Snapshot};

/// How log lines are written on standard error.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum LogFormat {
    /// One readable line per event, its span's fields (method, uri, request id) in front.
    #[default]
    Text,
    /// One JSON object per line, for a log collector: `timestamp`, `level`, `fields`,
    /// `target`, and `span` with the request's method, uri and request id.
    Json,
}

/// Sets up structured logs on standard error (`RUST_LOG` filters; `info` by default), one line
/// per request with its request id.
pub fn init_logging(format: LogFormat) {
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info,tower_http=info"));
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr);
    let _ = match format {
        LogFormat::Text => builder
            .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stderr()))
            .try_init(),
        LogFormat::Json => builder
            .json()
            .with_current_span(true)
            .with_span_list(false)
            .try_init(),
    };
}
