//! The baseline of `bench/serve.sh`: a bare axum handler that only reads the same body as
//! `POST /v1/evaluate` (a learner record, parsed and validated) and answers a few bytes, with
//! none of the service's layers. The service's throughput is measured against it.
//!
//! `cargo run --release -p creditbank-service --example bare` serves `POST /bare` on an
//! ephemeral loopback port and prints `listening on http://ADDR`;
//! `... --example bare -- --answer FILE` answers the bytes of FILE instead of a few bytes
//! (the script gives it the service's own answer, to measure what carrying an answer of that
//! size costs, with no evaluation behind it);
//! `... --example bare -- --json FILE` prints a YAML or JSON learner record as one JSON line
//! (how the script turns the bench learner into a request body).

use std::sync::OnceLock;

use axum::body::Bytes;
use axum::http::{header, StatusCode};
use axum::routing::post;
use axum::Router;
use creditbank_engine::record;

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
        let app = Router::new().route("/bare", post(bare));
        axum::serve(listener, app).await
    })?;
    Ok(())
}
