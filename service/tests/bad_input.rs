//! The bad-input corpus: every request below is wrong in its own way and must get a 4xx answer
//! in the common error shape (never a 5xx), and the service must still answer afterwards.

mod common;

use common::*;
use serde_json::{json, Value};

/// One bad request: what it tries, method, path, headers, body.
struct Bad {
    what: &'static str,
    method: &'static str,
    uri: String,
    headers: Vec<(&'static str, String)>,
    body: Vec<u8>,
}

fn bad(what: &'static str, method: &'static str, uri: &str, body: impl Into<Vec<u8>>) -> Bad {
    Bad {
        what,
        method,
        uri: uri.to_string(),
        headers: Vec::new(),
        body: body.into(),
    }
}

fn with(mut b: Bad, name: &'static str, value: impl Into<String>) -> Bad {
    b.headers.push((name, value.into()));
    b
}

fn record() -> Value {
    serde_json::from_str(&learner()).unwrap()
}

/// The record with one change at a JSON pointer.
fn changed(pointer: &str, value: Value) -> Vec<u8> {
    let mut r = record();
    *r.pointer_mut(pointer).unwrap() = value;
    r.to_string().into_bytes()
}

fn with_field(name: &str, value: Value) -> Vec<u8> {
    let mut r = record();
    r.as_object_mut().unwrap().insert(name.into(), value);
    r.to_string().into_bytes()
}

fn without(name: &str) -> Vec<u8> {
    let mut r = record();
    r.as_object_mut().unwrap().remove(name);
    r.to_string().into_bytes()
}

fn nested(depth: usize) -> String {
    let mut s = String::new();
    for _ in 0..depth {
        s.push_str("{\"a\":");
    }
    s.push('1');
    s.push_str(&"}".repeat(depth));
    s
}

/// The body limit of the corpus' service, small so that oversized bodies are cheap.
const LIMIT: usize = 64 * 1024;

fn corpus() -> Vec<Bad> {
    let e = "/v1/evaluate";
    let admin = format!("Bearer {ADMIN}");
    let dry = |what, body: Value| {
        with(
            bad(what, "POST", "/v1/dry-run", body.to_string()),
            "authorization",
            admin.clone(),
        )
    };
    vec![
        // Malformed JSON: 400.
        bad("empty body", "POST", e, ""),
        bad("whitespace only", "POST", e, "   \n "),
        bad("open brace", "POST", e, "{"),
        bad("close brace", "POST", e, "}"),
        bad("missing value", "POST", e, "{\"learner\":}"),
        bad("trailing comma", "POST", e, "{\"learner\":\"a\",}"),
        bad("single quotes", "POST", e, "{'learner':'a'}"),
        bad("NaN", "POST", e, "{\"learner\": NaN}"),
        bad("a comment", "POST", e, "// hi\n{}"),
        bad("two documents", "POST", e, format!("{}{}", record(), record())),
        bad("not JSON at all", "POST", e, "learner: a\nprogram: b\n"),
        bad("lone surrogate escape", "POST", e, "{\"learner\":\"\\ud800\"}"),
        bad("truncated record", "POST", e, &learner()[..200]),
        // Invalid UTF-8: 400.
        bad("invalid UTF-8 byte", "POST", e, vec![b'{', 0xff, b'}']),
        bad("overlong encoding", "POST", e, vec![b'"', 0xc0, 0xaf, b'"']),
        bad("UTF-8 cut short", "POST", e, {
            let mut v = b"{\"learner\":\"\xe5\xad".to_vec();
            v.extend_from_slice(b"\"}");
            v
        }),
        // Deep nesting: 400 or 422, never a stack overflow.
        bad("10,000 open brackets", "POST", e, "[".repeat(10_000)),
        bad("deeply nested objects", "POST", e, nested(5_000)),
        bad("deep attribute", "POST", e, changed("/outcomes/0/attributes/hours", serde_json::from_str(&nested(100)).unwrap())),
        // Wrong types and missing fields: 422 naming the field.
        bad("a JSON array", "POST", e, "[]"),
        bad("a JSON string", "POST", e, "\"learner\""),
        bad("null", "POST", e, "null"),
        bad("learner is a number", "POST", e, changed("/learner", json!(5))),
        bad("program is a list", "POST", e, changed("/program", json!(["a"]))),
        bad("enrolled is a number", "POST", e, changed("/enrolled", json!(20260901))),
        bad("enrolled is not a date", "POST", e, changed("/enrolled", json!("2026-02-30"))),
        bad("term is text", "POST", e, changed("/term", json!("two"))),
        bad("term is negative", "POST", e, changed("/term", json!(-1))),
        bad("term is fractional", "POST", e, changed("/term", json!(1.5))),
        bad("courses is an object", "POST", e, changed("/courses", json!({}))),
        bad("a course is a string", "POST", e, changed("/courses/0", json!("MAR101"))),
        bad("a score is text", "POST", e, changed("/courses/0/score", json!("high"))),
        bad("a score is a boolean", "POST", e, changed("/courses/0/score", json!(true))),
        bad("outcomes is a string", "POST", e, changed("/outcomes", json!("none"))),
        bad("as_of is not a date", "POST", e, changed("/as_of", json!("tomorrow"))),
        bad("missing learner", "POST", e, without("learner")),
        bad("missing program", "POST", e, without("program")),
        bad("an unknown field", "POST", e, with_field("colour", json!("red"))),
        bad("an unknown field in a course", "POST", e, {
            let mut r = record();
            r["courses"][0]["grade_letter"] = json!("A");
            r.to_string()
        }),
        bad("wrapper with an unknown field", "POST", e, json!({"record": record(), "mode": 1}).to_string()),
        // Huge numbers.
        bad("term beyond u32", "POST", e, changed("/term", json!(4_294_967_296u64))),
        bad("a number beyond f64", "POST", e, {
            let r = record().to_string();
            r.replacen("\"term\":2", "\"term\":1e400", 1)
        }),
        bad("a 40-digit score", "POST", e, {
            let r = record().to_string();
            r.replacen("\"score\":71", "\"score\":1234567890123456789012345678901234567890", 1)
        }),
        // Bad parameters.
        bad("unknown query parameter", "POST", "/v1/evaluate?verbose=1", learner()),
        bad("explain level unknown", "POST", "/v1/evaluate?explain=everything", learner()),
        bad("as_of impossible", "POST", "/v1/evaluate?as_of=9999-99-99", learner()),
        bad("explain given twice", "POST", "/v1/evaluate?explain=none&explain=full", learner()),
        bad("batch with a bad parameter", "POST", "/v1/evaluate/batch?explain=loud", learner()),
        // Oversized bodies: 413.
        bad("body over the limit", "POST", e, vec![b' '; LIMIT + 1]),
        bad("record padded over the limit", "POST", e, {
            let mut r = record();
            r["learner"] = json!("x".repeat(LIMIT));
            r.to_string()
        }),
        with(bad("content-length over the limit", "POST", e, vec![b'{'; LIMIT * 2]), "content-length", (LIMIT * 2).to_string()),
        bad("cohort over the limit", "POST", "/v1/stats", vec![b' '; 4 * LIMIT + 1]),
        // Paths: ids are looked up, never opened.
        bad("traversal in an id", "GET", "/v1/rulesets/..%2F..%2Fetc%2Fpasswd", ""),
        bad("dot-dot id", "GET", "/v1/rulesets/%2e%2e/versions/2026.1/source", ""),
        bad("traversal in a version", "GET", "/v1/rulesets/demo-university%2Fundergraduate/versions/..%2F..%2F..%2Fetc%2Fpasswd/source", ""),
        bad("absolute path id", "GET", "/v1/rulesets/%2Fetc%2Fpasswd", ""),
        bad("NUL in an id", "GET", "/v1/rulesets/a%00b", ""),
        bad("invalid percent-encoding", "GET", "/v1/rulesets/%FF%FE", ""),
        bad("a 10,000-character id", "GET", &format!("/v1/rulesets/{}", "a".repeat(10_000)), ""),
        bad("unknown route", "GET", "/v1/../../etc/passwd", ""),
        // Wrong methods.
        bad("DELETE evaluate", "DELETE", e, ""),
        bad("GET reload", "GET", "/v1/admin/reload", ""),
        bad("POST healthz", "POST", "/healthz", "{}"),
        // Other endpoints.
        bad("what-if without program", "POST", "/v1/what-if", json!({"record": record()}).to_string()),
        bad("what-if unknown version", "POST", "/v1/what-if", json!({"record": record(), "program": "demo-university/undergraduate@0"}).to_string()),
        bad("what-if bad record", "POST", "/v1/what-if", json!({"record": {"learner": 1}, "program": "x"}).to_string()),
        bad("review applications not a list", "POST", "/v1/review", json!({"program": "demo-university/undergraduate", "applications": {}}).to_string()),
        bad("review unknown program", "POST", "/v1/review", json!({"program": "../x", "applications": []}).to_string()),
        bad("review unknown field", "POST", "/v1/review", json!({"program": "x", "applications": [], "urgent": true}).to_string()),
        bad("check source is a number", "POST", "/v1/check", json!({"source": 3}).to_string()),
        bad("check malformed", "POST", "/v1/check", "{\"source\": \"x"),
        bad("check invalid UTF-8 text", "POST", "/v1/check", vec![0xff, 0xfe]),
        bad("stats cohort not a list", "POST", "/v1/stats", json!({"cohort": 1}).to_string()),
        bad("stats bad date", "POST", "/v1/stats", json!({"cohort": [], "as_of": "soon"}).to_string()),
        // Auth.
        bad("reload without a token", "POST", "/v1/admin/reload", ""),
        with(bad("reload with a wrong token", "POST", "/v1/admin/reload", ""), "authorization", "Bearer guess"),
        with(bad("reload with basic auth", "POST", "/v1/admin/reload", ""), "authorization", "Basic YWRtaW46YWRtaW4="),
        with(bad("reload with an empty bearer", "POST", "/v1/admin/reload", ""), "authorization", "Bearer "),
        with(bad("token with a prefix of the admin token", "POST", "/v1/admin/reload", ""), "authorization", format!("Bearer {}", &ADMIN[..5])),
        bad("dry-run without a token", "POST", "/v1/dry-run", "{}"),
        dry("dry-run malformed", json!("x")),
        dry("dry-run missing candidate", json!({"cohort": []})),
        dry("dry-run broken candidate", json!({"candidate": "ruleset {", "cohort": []})),
        dry("dry-run from without a version", json!({"candidate": "", "from": "demo-university/undergraduate", "cohort": []})),
        dry("dry-run bad filter", json!({"candidate": "", "cohort": [], "only": "some"})),
    ]
}

#[tokio::test]
async fn every_bad_request_gets_a_4xx_in_the_error_shape_and_the_service_goes_on() {
    let (app, _) = service_over(rulesets(), |c| {
        c.body_limit = LIMIT;
        c.cohort_body_limit = 4 * LIMIT;
    });
    let corpus = corpus();
    assert!(corpus.len() >= 50, "only {} bad requests", corpus.len());
    let mut failures = Vec::new();
    for b in &corpus {
        let headers: Vec<(&str, &str)> = b.headers.iter().map(|(n, v)| (*n, v.as_str())).collect();
        let answer = send(&app, b.method, &b.uri, &headers, b.body.clone()).await;
        let status = answer.status.as_u16();
        let shaped = serde_json::from_slice::<Value>(&answer.body)
            .ok()
            .is_some_and(|j| j["error"]["status"] == status && j["error"]["code"].is_string());
        if !(400..500).contains(&status) || !shaped {
            failures.push(format!(
                "{}: {status} {}",
                b.what,
                String::from_utf8_lossy(&answer.body[..answer.body.len().min(300)])
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    assert_eq!(get(&app, "/healthz").await.status, 200);
    let ok = post(&app, "/v1/evaluate", learner()).await;
    assert_eq!(ok.status, 200, "{}", ok.text());
}
