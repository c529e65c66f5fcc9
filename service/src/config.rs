//! What the service is started with.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::Duration;

/// The service's settings; `creditbank serve` fills them from its flags and the environment.
#[derive(Clone, Debug)]
pub struct Config {
    /// The directory of ruleset versions (`rulesets/` by default).
    pub rulesets: PathBuf,
    /// Where to listen; port 0 picks a free port (the bound address is printed).
    pub addr: SocketAddr,
    /// The bearer token of the admin routes; without one they answer 403.
    pub admin_token: Option<String>,
    /// The bearer token of the evaluation routes; without one they are open.
    pub evaluation_token: Option<String>,
    /// Origins allowed to call from a browser (`*` for any); none by default.
    pub cors_origins: Vec<String>,
    /// The largest body of a single-learner request, in bytes.
    pub body_limit: usize,
    /// The largest body of a cohort request (batch, dry-run, stats) or ruleset source, in bytes.
    pub cohort_body_limit: usize,
    /// How long a request may take before it is answered 503.
    pub timeout: Duration,
    /// Poll the directory every second and reload on change.
    pub watch: bool,
    /// Append one NDJSON line per decision to this file.
    pub decision_log: Option<PathBuf>,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            rulesets: PathBuf::from("rulesets"),
            addr: SocketAddr::from(([127, 0, 0, 1], 8080)),
            admin_token: None,
            evaluation_token: None,
            cors_origins: Vec::new(),
            body_limit: 1024 * 1024,
            cohort_body_limit: 64 * 1024 * 1024,
            timeout: Duration::from_secs(30),
            watch: false,
            decision_log: None,
        }
    }
}
