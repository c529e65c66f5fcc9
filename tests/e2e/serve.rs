//! `creditbank serve`: the real binary on an ephemeral loopback port, called over HTTP.

use super::*;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::Child;
use std::time::{Duration, Instant};

const ADMIN: &str = "e2e-admin-token";

/// A running service, stopped (killed) if a test fails before it sends SIGTERM.
struct Server {
    child: Child,
    base: String,
    addr: String,
}

impl Drop for Server {
    fn drop(&mut self) {
        if let Ok(None) = self.child.try_wait() {
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
    }
}

impl Server {
    /// Starts `serve` on `dir` and reads the bound address it prints.
    fn start(dir: &Path, log: &Path, extra: &[&str]) -> Server {
        let token = dir.join("admin.token");
        std::fs::write(&token, format!("{ADMIN}\n")).unwrap();
        let stderr = std::fs::File::create(dir.join("serve.log")).unwrap();
        let mut child = Command::new(env!("CARGO_BIN_EXE_creditbank"))
            .args(["serve", "--addr", "127.0.0.1:0", "--rulesets"])
            .arg(dir.join("rulesets"))
            .arg("--admin-token-file")
            .arg(&token)
            .arg("--decision-log")
            .arg(log)
            .args(extra)
            .current_dir(root())
            .stdout(Stdio::piped())
            .stderr(stderr)
            .spawn()
            .expect("the binary starts");
        let mut line = String::new();
        BufReader::new(child.stdout.take().unwrap())
            .read_line(&mut line)
            .unwrap();
        let base = line
            .trim()
            .strip_prefix("listening on ")
            .unwrap_or_else(|| panic!("no address in `{line}`"))
            .to_string();
        let addr = base.trim_start_matches("http://").to_string();
        Server { child, base, addr }
    }

    fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    /// Sends SIGTERM and waits for the exit status.
    /// Sends the signal `name` (`TERM`, `HUP`) to the service.
    fn signal(&self, name: &str) {
        let pid = self.child.id().to_string();
        let sent = Command::new("kill")
            .arg(format!("-{name}"))
            .arg(&pid)
            .status()
            .unwrap();
        assert!(sent.success(), "kill -{name} {pid}");
    }

    fn terminate(&mut self) -> std::process::ExitStatus {
        self.signal("TERM");
        let deadline = Instant::now() + Duration::from_secs(20);
        loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                return status;
            }
            assert!(Instant::now() < deadline, "the service did not stop");
            std::thread::sleep(Duration::from_millis(50));
        }
    }
}

/// Status and JSON body of an answer, error statuses included.
/// A service started on a copy of the bundled rulesets in a new directory, with a decision
/// log there: the directory (removed when dropped), the log's path and the service.
fn started(extra: &[&str]) -> (tempfile::TempDir, PathBuf, Server) {
    let tmp = tempfile::tempdir().unwrap();
    copy_rulesets(&tmp.path().join("rulesets"));
    let log = tmp.path().join("decisions.ndjson");
    let server = Server::start(tmp.path(), &log, extra);
    (tmp, log, server)
}

fn answer(result: Result<ureq::Response, ureq::Error>) -> (u16, serde_json::Value) {
    let response = match result {
        Ok(r) => r,
        Err(ureq::Error::Status(_, r)) => r,
        Err(e) => panic!("transport error: {e}"),
    };
    let status = response.status();
    let text = response.into_string().unwrap();
    (
        status,
        serde_json::from_str(&text).unwrap_or(serde_json::Value::Null),
    )
}

fn copy_rulesets(to: &Path) {
    for id in [
        "demo-university/undergraduate",
        "demo-open-university/lifelong-learning",
    ] {
        let dir = to.join(id);
        std::fs::create_dir_all(&dir).unwrap();
        for entry in std::fs::read_dir(root().join("rulesets").join(id)).unwrap() {
            let path = entry.unwrap().path();
            if path.extension().is_some_and(|e| e == "cbr") {
                std::fs::copy(&path, dir.join(path.file_name().unwrap())).unwrap();
            }
        }
    }
}

#[test]
fn serves_reloads_keeps_the_last_good_rulesets_and_stops_cleanly() {
    let (tmp, log, mut server) = started(&[]);
    let agent = ureq::AgentBuilder::new()
        .timeout(Duration::from_secs(30))
        .build();
    let learner = example_lines()[2].clone();
    let evaluate = || {
        answer(
            agent
                .post(&server.url("/v1/evaluate"))
                .send_string(&learner),
        )
    };
    let reload = || {
        answer(
            agent
                .post(&server.url("/v1/admin/reload"))
                .set("Authorization", &format!("Bearer {ADMIN}"))
                .call(),
        )
    };

    let (status, health) = answer(agent.get(&server.url("/healthz")).call());
    assert_eq!((status, &health["status"]), (200, &"ok".into()));
    let (status, first) = evaluate();
    assert_eq!(status, 200, "{first}");
    assert_eq!(first["ruleset"]["version"], "2026.1");
    let hash = first["ruleset"]["content_hash"].clone();

    // A broken ruleset: the reload is refused with its diagnostics; the old one keeps serving.
    let file = tmp
        .path()
        .join("rulesets/demo-university/undergraduate/2026.1.cbr");
    let good = std::fs::read_to_string(&file).unwrap();
    std::fs::write(&file, good.replacen("into innovation", "into inovation", 1)).unwrap();
    let (status, refused) = reload();
    assert_eq!(status, 422, "{refused}");
    assert_eq!(refused["error"]["diagnostics"][0]["code"], "E011");
    let (status, still) = evaluate();
    assert_eq!(status, 200);
    assert_eq!(still["ruleset"]["content_hash"], hash);
    let (_, ready) = answer(agent.get(&server.url("/readyz")).call());
    assert_eq!(ready["reload"]["ok"], false);

    // A good one: the new version serves.
    std::fs::write(&file, good.replace("2026.1", "2026.2")).unwrap();
    let (status, reloaded) = reload();
    assert_eq!(status, 200, "{reloaded}");
    let (status, new) = evaluate();
    assert_eq!(status, 200);
    assert_eq!(new["ruleset"]["version"], "2026.2");
    assert_ne!(new["ruleset"]["content_hash"], hash);

    // A request in flight when SIGTERM arrives is answered before the service stops: its
    // headers are sent before the signal, its body after.
    let mut stream = TcpStream::connect(&server.addr).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(30)))
        .unwrap();
    let body = learner.as_bytes();
    write!(
        stream,
        "POST /v1/evaluate HTTP/1.1\r\nHost: {}\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
        server.addr,
        body.len()
    )
    .unwrap();
    stream.write_all(&body[..10]).unwrap();
    stream.flush().unwrap();
    std::thread::sleep(Duration::from_millis(300));
    server.signal("TERM");
    std::thread::sleep(Duration::from_millis(300));
    stream.write_all(&body[10..]).unwrap();
    let mut response = String::new();
    stream.read_to_string(&mut response).unwrap();
    assert!(response.starts_with("HTTP/1.1 200"), "{response}");
    assert!(response.contains("\"decision_id\""));

    let status = server.terminate();
    assert!(status.success(), "exit {status:?}");

    // Every decision was logged, with the learner's id hashed.
    let logged = std::fs::read_to_string(&log).unwrap();
    assert_eq!(logged.lines().count(), 4, "{logged}");
    assert!(!logged.contains("2026010137"));
}

/// Evaluates the example learner until the version answering is `version`, for 15 s at most.
fn wait_for_version(server: &Server, version: &str) {
    let agent = ureq::AgentBuilder::new()
        .timeout(Duration::from_secs(10))
        .build();
    let learner = example_lines()[2].clone();
    let deadline = Instant::now() + Duration::from_secs(15);
    loop {
        let (status, json) = answer(
            agent
                .post(&server.url("/v1/evaluate"))
                .send_string(&learner),
        );
        assert_eq!(status, 200, "{json}");
        if json["ruleset"]["version"] == version {
            return;
        }
        assert!(
            Instant::now() < deadline,
            "still {}",
            json["ruleset"]["version"]
        );
        std::thread::sleep(Duration::from_millis(100));
    }
}

#[test]
fn reloads_on_sighup_and_with_watch_on_change() {
    let tmp = tempfile::tempdir().unwrap();
    copy_rulesets(&tmp.path().join("rulesets"));
    let file = tmp
        .path()
        .join("rulesets/demo-university/undergraduate/2026.1.cbr");
    let good = std::fs::read_to_string(&file).unwrap();

    let mut server = Server::start(tmp.path(), &tmp.path().join("a.ndjson"), &[]);
    wait_for_version(&server, "2026.1");
    std::fs::write(&file, good.replace("2026.1", "2026.2")).unwrap();
    server.signal("HUP");
    wait_for_version(&server, "2026.2");
    assert!(server.terminate().success());

    let mut watching = Server::start(tmp.path(), &tmp.path().join("b.ndjson"), &["--watch"]);
    wait_for_version(&watching, "2026.2");
    std::fs::write(&file, good.replace("2026.1", "2026.3")).unwrap();
    wait_for_version(&watching, "2026.3");
    assert!(watching.terminate().success());
}

#[test]
fn refuses_to_start_on_broken_rulesets() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("rulesets");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("x.cbr"), "ruleset \"x\" {").unwrap();
    let out = creditbank(
        &[
            "serve",
            "--addr",
            "127.0.0.1:0",
            "--rulesets",
            dir.to_str().unwrap(),
        ],
        None,
    );
    assert_eq!(out.status.code(), Some(2));
    let text = stderr(&out);
    assert!(text.contains("x.cbr:1:"), "{text}");
}

#[test]
fn logs_one_json_object_per_line_naming_the_request_id() {
    let (tmp, _log, mut server) = started(&["--log-format", "json"]);
    let response = ureq::post(&server.url("/v1/evaluate"))
        .send_string(&example_lines()[2])
        .expect("the evaluation answers 200");
    let id = response
        .header("x-request-id")
        .expect("every answer carries its request id")
        .to_string();
    assert!(server.terminate().success());

    let text = std::fs::read_to_string(tmp.path().join("serve.log")).unwrap();
    let lines: Vec<serde_json::Value> = text
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("`{l}` is not JSON: {e}")))
        .collect();
    assert!(!lines.is_empty(), "the service logged nothing");
    let answered = lines
        .iter()
        .find(|l| l["span"]["request_id"] == id.as_str())
        .unwrap_or_else(|| panic!("no log line names request {id}:\n{text}"));
    assert_eq!(answered["span"]["uri"], "/v1/evaluate");
    assert_eq!(answered["span"]["method"], "POST");
    assert_eq!(answered["level"], "INFO");
    assert!(answered["timestamp"].is_string(), "{answered}");
}

#[test]
fn every_decision_the_service_logs_replays_with_creditbank_replay() {
    let (tmp, log, mut server) = started(&[]);
    let learners = example_lines();
    for learner in &learners {
        let (status, json) = answer(ureq::post(&server.url("/v1/evaluate")).send_string(learner));
        assert_eq!(status, 200, "{json}");
    }
    let (status, json) = answer(
        ureq::post(&server.url("/v1/evaluate/batch"))
            .set("Content-Type", "application/x-ndjson")
            .send_string(&learners.join("\n")),
    );
    assert_eq!(status, 200, "{json}");
    let record: serde_json::Value = serde_json::from_str(&learners[0]).unwrap();
    let body = serde_json::json!({
        "record": record,
        "program": "demo-university/undergraduate@2025.1",
    });
    let (status, json) =
        answer(ureq::post(&server.url("/v1/what-if")).send_string(&body.to_string()));
    assert_eq!(status, 200, "{json}");
    let applications = root().join("examples/applications.yaml");
    let batch: serde_json::Value =
        serde_yaml::from_str(&std::fs::read_to_string(&applications).unwrap()).unwrap();
    let reviewed = batch["applications"].as_array().unwrap().len();
    let (status, json) =
        answer(ureq::post(&server.url("/v1/review")).send_string(&batch.to_string()));
    assert_eq!(status, 200, "{json}");
    assert!(server.terminate().success());

    let cohort = tmp.path().join("cohort.ndjson");
    std::fs::write(&cohort, learners.join("\n") + "\n").unwrap();
    let rulesets = tmp.path().join("rulesets");
    let replay = |format: &str| {
        creditbank(
            &[
                "replay",
                "--log",
                log.to_str().unwrap(),
                "--cohort",
                cohort.to_str().unwrap(),
                "--applications",
                applications.to_str().unwrap(),
                "--ruleset",
                rulesets.to_str().unwrap(),
                "--format",
                format,
            ],
            None,
        )
    };
    // Three evaluations, three batch lines, one what-if and each application reviewed.
    let decisions = 3 + 3 + 1 + reviewed;
    let out = replay("table");
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}{}",
        stdout(&out),
        stderr(&out)
    );
    assert!(
        stdout(&out).contains(&format!(
            "{decisions} decisions, {decisions} reproduced, 0 differ, 0 not replayable, 0 \
             without input"
        )),
        "{}",
        stdout(&out)
    );

    // A figure tampered with in the log is named, with both values.
    let text = std::fs::read_to_string(&log).unwrap();
    let mut lines: Vec<serde_json::Value> = text
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let logged = lines[0]["summary"]["total_credits"]
        .as_str()
        .unwrap()
        .to_string();
    lines[0]["summary"]["total_credits"] = "999.0".into();
    let tampered: String = lines.iter().map(|l| format!("{l}\n")).collect();
    std::fs::write(&log, tampered).unwrap();
    let out = replay("json");
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let json: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert_eq!(json["counts"]["differ"], 1, "{json}");
    assert_eq!(json["decisions"][0]["status"], "differs");
    assert_eq!(
        json["decisions"][0]["differences"][0],
        serde_json::json!({"field": "total_credits", "logged": "999.0", "replayed": logged})
    );

    // A source edited since the decisions: they cannot be replayed as they were made.
    std::fs::write(&log, text).unwrap();
    let file = rulesets.join("demo-university/undergraduate/2026.1.cbr");
    let source = std::fs::read_to_string(&file).unwrap();
    std::fs::write(&file, source + "\n// edited after the decisions\n").unwrap();
    let out = replay("table");
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let text = stdout(&out);
    assert!(text.contains("not replayable: the source of `demo-university/undergraduate` 2026.1 changed since the decision"), "{text}");

    // Without records or applications there is nothing to replay from: a usage error.
    let out = creditbank(&["replay", "--log", log.to_str().unwrap()], None);
    assert_eq!(out.status.code(), Some(2), "{}", stdout(&out));
    assert!(stderr(&out).contains("--cohort"), "{}", stderr(&out));
}

#[test]
fn sighup_reopens_the_decision_log_after_a_rotation() {
    let (tmp, log, mut server) = started(&[]);
    let learner = example_lines()[2].clone();
    let evaluate = || {
        let (status, json) = answer(ureq::post(&server.url("/v1/evaluate")).send_string(&learner));
        assert_eq!(status, 200, "{json}");
    };
    evaluate();
    let rotated = tmp.path().join("decisions.ndjson.1");
    std::fs::rename(&log, &rotated).unwrap();
    server.signal("HUP");
    // The reopened log is created at the path.
    let deadline = Instant::now() + Duration::from_secs(15);
    while !log.exists() {
        assert!(Instant::now() < deadline, "no new log after SIGHUP");
        std::thread::sleep(Duration::from_millis(50));
    }
    evaluate();
    assert!(server.terminate().success());
    let lines = |p: &Path| std::fs::read_to_string(p).unwrap().lines().count();
    assert_eq!(lines(&rotated), 1);
    assert_eq!(lines(&log), 1);
}
