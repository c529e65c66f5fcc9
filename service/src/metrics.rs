//! Prometheus metrics, written by hand in the text exposition format: requests per route and
//! status, a latency histogram per route, evaluations, and the reload status.

use crate::state::ReloadStatus;
use std::collections::BTreeMap;
use std::fmt::Write;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Mutex;
use std::time::Duration;

/// Upper bounds of the latency buckets, in seconds.
const BUCKETS: [f64; 14] = [
    0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0,
];

#[derive(Default)]
struct Histogram {
    counts: [u64; BUCKETS.len()],
    count: u64,
    sum: f64,
}

/// The counts of one route.
#[derive(Default)]
struct Route {
    by_status: BTreeMap<u16, u64>,
    latency: Histogram,
}

#[derive(Default)]
struct Requests {
    routes: BTreeMap<String, Route>,
}

/// The service's counters.
#[derive(Default)]
pub struct Metrics {
    requests: Mutex<Requests>,
    evaluations: AtomicU64,
    evaluation_errors: AtomicU64,
}

impl Metrics {
    /// Counts one answered request of `route` (the matched route pattern, or `unmatched`).
    pub fn request(&self, route: &str, status: u16, elapsed: Duration) {
        let seconds = elapsed.as_secs_f64();
        let mut r = self
            .requests
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        // Allocates the route's name only the first time it is seen.
        let counts = match r.routes.get_mut(route) {
            Some(counts) => counts,
            None => r.routes.entry(route.to_string()).or_default(),
        };
        *counts.by_status.entry(status).or_default() += 1;
        let h = &mut counts.latency;
        h.count += 1;
        h.sum += seconds;
        for (bound, count) in BUCKETS.iter().zip(h.counts.iter_mut()) {
            if seconds <= *bound {
                *count += 1;
            }
        }
    }

    /// Counts one learner evaluated (`ok`) or refused.
    pub fn evaluation(&self, ok: bool) {
        if ok {
            self.evaluations.fetch_add(1, Ordering::Relaxed);
        } else {
            self.evaluation_errors.fetch_add(1, Ordering::Relaxed);
        }
    }

    /// The text exposition of every metric.
    pub fn render(&self, reload: &ReloadStatus, versions: usize) -> String {
        let mut out = String::new();
        let r = self
            .requests
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        out.push_str(
            "# HELP creditbank_http_requests_total Requests answered, by route and status.\n",
        );
        out.push_str("# TYPE creditbank_http_requests_total counter\n");
        for (route, counts) in &r.routes {
            for (status, n) in &counts.by_status {
                let _ = writeln!(
                    out,
                    "creditbank_http_requests_total{{route=\"{}\",status=\"{status}\"}} {n}",
                    label(route)
                );
            }
        }
        out.push_str("# HELP creditbank_http_request_duration_seconds Time to answer, by route.\n");
        out.push_str("# TYPE creditbank_http_request_duration_seconds histogram\n");
        for (route, counts) in &r.routes {
            let h = &counts.latency;
            let route = label(route);
            for (bound, count) in BUCKETS.iter().zip(h.counts.iter()) {
                let _ = writeln!(
                    out,
                    "creditbank_http_request_duration_seconds_bucket{{route=\"{route}\",le=\"{bound}\"}} {count}"
                );
            }
            let _ = writeln!(
                out,
                "creditbank_http_request_duration_seconds_bucket{{route=\"{route}\",le=\"+Inf\"}} {}",
                h.count
            );
            let _ = writeln!(
                out,
                "creditbank_http_request_duration_seconds_sum{{route=\"{route}\"}} {}",
                h.sum
            );
            let _ = writeln!(
                out,
                "creditbank_http_request_duration_seconds_count{{route=\"{route}\"}} {}",
                h.count
            );
        }
        drop(r);
        let counters = [
            (
                "creditbank_evaluations_total",
                "Learners evaluated.",
                self.evaluations.load(Ordering::Relaxed),
            ),
            (
                "creditbank_evaluation_errors_total",
                "Learners refused (bad record, no version in force).",
                self.evaluation_errors.load(Ordering::Relaxed),
            ),
            (
                "creditbank_reloads_succeeded_total",
                "Reloads that swapped in new rulesets.",
                reload.succeeded,
            ),
            (
                "creditbank_reloads_failed_total",
                "Reloads refused; the last good rulesets kept serving.",
                reload.failed,
            ),
        ];
        for (name, help, value) in counters {
            let _ = writeln!(
                out,
                "# HELP {name} {help}\n# TYPE {name} counter\n{name} {value}"
            );
        }
        let gauges = [
            (
                "creditbank_reload_ok",
                "1 when the last reload succeeded.",
                if reload.ok { 1.0 } else { 0.0 },
            ),
            (
                "creditbank_reload_timestamp_seconds",
                "When the last reload was attempted.",
                reload.at,
            ),
            (
                "creditbank_ruleset_generation",
                "Which load of the rulesets is serving.",
                reload.generation as f64,
            ),
            (
                "creditbank_ruleset_versions",
                "Ruleset versions serving.",
                versions as f64,
            ),
        ];
        for (name, help, value) in gauges {
            let _ = writeln!(
                out,
                "# HELP {name} {help}\n# TYPE {name} gauge\n{name} {value}"
            );
        }
        out
    }
}

/// A label value escaped for the exposition format.
fn label(text: &str) -> String {
    text.replace('\\', "\\\\")
        .replace('"', "\\\"")
        .replace('\n', "\\n")
}
