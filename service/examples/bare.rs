//! The baselines of `bench/serve.sh`: bare axum handlers that only read the same body as
//! `POST /v1/evaluate` (a learner record) and answer a few bytes, with none of the service's
//! layers. The service's throughput is measured against them.
//!
//! - `POST /bare-serde` is the handler the bar describes, written as axum is written:
//!   its `Json` extractor deserializes the body into the engine's `LearnerRecord` through the
//!   record's serde implementation, and nothing else is done.
//! - `POST /bare` reads the body as the service reads it: the same UTF-8 check, then the
//!   engine's direct reader and the record's validation. The service's own work beyond
//!   reading is what separates the two servers.
//!
//! Both run on the service's allocator, so that the allocator is no part of the difference.
//!
//! `cargo run --release -p creditbank-service --example bare` serves both routes on an
//! ephemeral loopback port and prints `listening on http://ADDR`;
//! `... --example bare -- --answer FILE` answers `/bare` with the bytes of FILE instead of a
//! few bytes (the script gives it the service's own answer, to measure what carrying an
//! answer of that size costs, with no evaluation behind it);
//! `... --example bare -- --json FILE` prints a YAML or JSON learner record as one JSON line
//! (how the script turns the bench learner into a request body).

use std::sync::OnceLock;

use axum::body::Bytes;
use axum::http::{header, StatusCode};
use axum::routing::post;
use axum::Router;
use creditbank_engine::record;
use tokio::signal::unix::SignalKind;

// The service's allocator, so that the two servers differ only in what their handlers do.
#[global_allocator]
static ALLOCATOR: creditbank_allocator::Allocator = creditbank_allocator::Allocator;

/// What a good body is answered with: `--answer FILE`'s bytes, or a few bytes.
static ANSWER: OnceLock<Bytes> = OnceLock::new();

async fn bare(body: Bytes) -> (StatusCode, [(header::HeaderName, &'static str); 1], Bytes) {
    // The body checked as the service checks it, then read as the service reads a record.
    let parsed = creditbank_service::extract::text(&body)
        .ok()
        .and_then(|text| record::from_json(text).ok());
    let json = [(header::CONTENT_TYPE, "application/json")];
    match parsed {
        Some(r) if !r.learner.is_empty() => (
            StatusCode::OK,
            json,
            ANSWER
                .get()
                .cloned()
                .unwrap_or(Bytes::from_static(b"{\"ok\":true}")),
        ),
        _ => (
            StatusCode::UNPROCESSABLE_ENTITY,
            json,
            Bytes::from_static(b"{\"ok\":false}"),
        ),
    }
}

/// Deserializes the body, as `axum::Json` does (a body that does not deserialize is refused
/// by the extractor, with axum's own answer).
async fn bare_serde(
    axum::Json(_record): axum::Json<record::LearnerRecord>,
) -> ([(header::HeaderName, &'static str); 1], &'static str) {
    (
        [(header::CONTENT_TYPE, "application/json")],
        "{\"ok\":true}",
    )
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if let [flag, path] = args.as_slice() {
        if flag == "--json" {
            let text = std::fs::read_to_string(path)?;
            let learner = if text.trim_start().starts_with('{') {
                record::from_json(&text)?
            } else {
                record::from_yaml(&text)?
            };
            println!("{}", serde_json::to_string(&learner)?);
            return Ok(());
        }
        if flag == "--answer" {
            let _ = ANSWER.set(Bytes::from(std::fs::read(path)?));
        }
    }
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?;
    runtime.block_on(async {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
        println!("listening on http://{}", listener.local_addr()?);
        let app = Router::new()
            .route("/bare", post(bare))
            .route("/bare-serde", post(bare_serde));
        // SIGTERM ends the process normally, so that an instrumented build (bench/pgo.sh)
        // writes its counts as it exits.
        let mut terminate = tokio::signal::unix::signal(SignalKind::terminate())?;
        axum::serve(listener, app)
            .with_graceful_shutdown(async move {
                terminate.recv().await;
            })
            .await
    })?;
    Ok(())
}
