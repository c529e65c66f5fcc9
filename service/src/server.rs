//! Running the service: bind, serve until SIGTERM or ctrl-c (letting requests in flight
//! finish), and reload on SIGHUP and, with `--watch`, when a ruleset file changes.

use crate::app::{app, AppState, Shared};
use crate::config::Config;
use crate::state::{LoadFailure, Registry};
use std::sync::Arc;
use std::time::Duration;
use tokio::net::TcpListener;

/// Why the service could not run.
#[derive(Debug, thiserror::Error)]
pub enum ServeError {
    /// The rulesets could not be loaded at start.
    #[error("the rulesets could not be loaded: {failure}{}", listed(.failure))]
    Load {
        /// Why.
        #[from]
        failure: LoadFailure,
    },
    /// The address could not be bound, or the server failed.
    #[error("cannot serve on {addr}: {source}")]
    Io {
        /// The address.
        addr: String,
        /// Why.
        source: std::io::Error,
    },
    /// The decision log could not be opened.
    #[error("cannot open the decision log: {0}")]
    DecisionLog(std::io::Error),
}

/// Each diagnostic of a failure on a line of its own, `file:line:column: code: message`.
fn listed(failure: &LoadFailure) -> String {
    failure
        .diagnostics()
        .iter()
        .map(|d| {
            format!(
                "\n  {}:{}:{}: {}: {}",
                d.file, d.line, d.column, d.code, d.message
            )
        })
        .collect()
}

/// Loads the rulesets, binds, prints `listening on http://ADDR` on standard output and serves
/// until SIGTERM or ctrl-c.
pub async fn serve(config: Config) -> Result<(), ServeError> {
    let dir = config.rulesets.clone();
    let registry = Arc::new(
        tokio::task::spawn_blocking(move || Registry::open(dir))
            .await
            .map_err(|e| ServeError::Io {
                addr: String::new(),
                source: std::io::Error::other(e),
            })??,
    );
    let addr = config.addr;
    let watch = config.watch;
    let state = Shared::new(registry.clone(), config).map_err(ServeError::DecisionLog)?;
    let io = |source| ServeError::Io {
        addr: addr.to_string(),
        source,
    };
    let listener = TcpListener::bind(addr).await.map_err(io)?;
    let bound = listener.local_addr().map_err(io)?;
    let versions = registry.snapshot().library.all().count();
    // The end-to-end test and scripts read this line to find an ephemeral port.
    println!("listening on http://{bound}");
    tracing::info!(%bound, versions, "serving");
    spawn_reloaders(&state, watch);
    axum::serve(listener, app(state))
        .with_graceful_shutdown(shutdown())
        .await
        .map_err(|source| ServeError::Io {
            addr: bound.to_string(),
            source,
        })?;
    tracing::info!("stopped");
    Ok(())
}

/// Runs [`serve`] on a new multi-threaded runtime, for a synchronous caller (the CLI).
pub fn serve_blocking(config: Config) -> Result<(), ServeError> {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(|source| ServeError::Io {
            addr: config.addr.to_string(),
            source,
        })?;
    runtime.block_on(serve(config))
}

/// Opens the decision log's path again, if there is a log: after a rotation moved it away,
/// new decisions go to a new file there. A failure is logged, and the old file kept.
#[cfg(unix)]
async fn reopen_decision_log(state: &AppState) {
    let state = state.clone();
    let reopened = tokio::task::spawn_blocking(move || {
        state.decision_log.as_ref().map(|log| {
            log.reopen()
                .map_err(|e| (log.path().display().to_string(), e))
        })
    })
    .await;
    if let Ok(Some(Err((path, e)))) = reopened {
        tracing::error!(%path, "cannot reopen the decision log, still writing the old file: {e}");
    }
}

/// Reload on SIGHUP (reopening the decision log too), and with `watch` whenever the ruleset
/// files change.
fn spawn_reloaders(state: &AppState, watch: bool) {
    #[cfg(unix)]
    {
        let state = state.clone();
        tokio::spawn(async move {
            use tokio::signal::unix::{signal, SignalKind};
            let Ok(mut hangups) = signal(SignalKind::hangup()) else {
                tracing::warn!("cannot listen for SIGHUP");
                return;
            };
            while hangups.recv().await.is_some() {
                tracing::info!("SIGHUP: reloading, and reopening the decision log");
                reopen_decision_log(&state).await;
                state.registry.reload().await;
            }
        });
    }
    if watch {
        let registry = state.registry.clone();
        tokio::spawn(async move {
            let fingerprint = |r: Arc<Registry>| async move {
                tokio::task::spawn_blocking(move || r.fingerprint())
                    .await
                    .unwrap_or_default()
            };
            let mut seen = fingerprint(registry.clone()).await;
            let mut tick = tokio::time::interval(Duration::from_secs(1));
            loop {
                tick.tick().await;
                let now = fingerprint(registry.clone()).await;
                if now != seen {
                    seen = now;
                    tracing::info!(dir = %registry.dir().display(), "rulesets changed: reloading");
                    registry.reload().await;
                }
            }
        });
    }
}

/// Resolves on SIGTERM or ctrl-c.
async fn shutdown() {
    let ctrl_c = async {
        if tokio::signal::ctrl_c().await.is_err() {
            std::future::pending::<()>().await;
        }
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = terminate => {},
    }
    tracing::info!("shutting down: finishing requests in flight");
}
