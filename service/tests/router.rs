//! Every endpoint and every error status, through `tower::ServiceExt::oneshot`: no socket.

mod common;

use axum::body::Body;
use common::*;
use serde_json::{json, Value};

const UG: &str = "demo-university%2Fundergraduate";

fn source_2026() -> String {
    std::fs::read_to_string(rulesets().join("demo-university/undergraduate/2026.1.cbr")).unwrap()
}

fn assert_decision(answer: &Answer) -> Value {
    assert_eq!(answer.status, 200, "{}", answer.text());
    let json = answer.json();
    let id = json["decision_id"].as_str().unwrap();
    assert_eq!(uuid_version(id), '7', "{id}");
    assert_eq!(json["ruleset"]["id"], "demo-university/undergraduate");
    assert!(json["ruleset"]["version"].is_string());
    assert!(json["ruleset"]["content_hash"]
        .as_str()
        .unwrap()
        .starts_with("sha256:"));
    assert_eq!(json["report"]["learner"], "2026010137");
    json
}

/// The version digit of a UUID.
fn uuid_version(id: &str) -> char {
    id.chars().nth(14).unwrap()
}

// ---------------------------------------------------------------------------------------------
// Operations

#[tokio::test]
async fn healthz_readyz_metrics() {
    let app = service();
    let health = get(&app, "/healthz").await;
    assert_eq!(health.status, 200);
    assert_eq!(health.json()["status"], "ok");
    assert!(health.headers.contains_key("x-request-id"));

    let ready = get(&app, "/readyz").await;
    assert_eq!(ready.status, 200);
    assert_eq!(ready.json()["ready"], true);
    assert_eq!(ready.json()["versions"], 4);
    assert_eq!(ready.json()["reload"]["ok"], true);

    post(&app, "/v1/evaluate", learner()).await;
    let metrics = get(&app, "/metrics").await;
    assert_eq!(metrics.status, 200);
    let text = metrics.text();
    for needle in [
        "creditbank_http_requests_total{route=\"/healthz\",status=\"200\"} 1",
        "creditbank_http_requests_total{route=\"/v1/evaluate\",status=\"200\"} 1",
        "creditbank_http_request_duration_seconds_bucket{route=\"/v1/evaluate\",le=\"+Inf\"} 1",
        "creditbank_evaluations_total 1",
        "creditbank_reload_ok 1",
        "creditbank_reload_timestamp_seconds",
        "creditbank_ruleset_versions 4",
    ] {
        assert!(text.contains(needle), "missing `{needle}` in\n{text}");
    }
}

#[tokio::test]
async fn openapi_and_docs_are_served() {
    let app = service();
    let doc = get(&app, "/openapi.json").await;
    assert_eq!(doc.status, 200);
    assert!(doc.json()["openapi"].as_str().unwrap().starts_with("3."));
    let docs = get(&app, "/docs").await;
    assert_eq!(docs.status, 200);
    let html = docs.text();
    assert!(html.contains("/v1/evaluate/batch"), "{html}");
    assert!(!html.contains("http://") && !html.contains("https://"));
}

#[tokio::test]
async fn unknown_route_is_404_and_wrong_method_405_in_the_error_shape() {
    let app = service();
    let e = get(&app, "/v2/nothing").await.error(404);
    assert_eq!(e["code"], "not_found");
    let answer = send(&app, "PUT", "/healthz", &[], Body::empty()).await;
    let e = answer.error(405);
    assert_eq!(e["code"], "method_not_allowed");
    assert!(answer.headers.contains_key("allow"));
    get(&app, "/v1/evaluate").await.error(405);
}

// ---------------------------------------------------------------------------------------------
// Rulesets

#[tokio::test]
async fn rulesets_list_ids_versions_dates_and_hashes() {
    let app = service();
    let json = get(&app, "/v1/rulesets").await.json();
    let ids: Vec<&str> = json["rulesets"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["id"].as_str().unwrap())
        .collect();
    assert_eq!(
        ids,
        [
            "demo-open-university/lifelong-learning",
            "demo-university/undergraduate"
        ]
    );
    let v = &json["rulesets"][1]["versions"][1];
    assert_eq!(v["version"], "2026.1");
    assert_eq!(v["effective"], "2026-09-01");
    assert!(v["content_hash"].as_str().unwrap().starts_with("sha256:"));
}

#[tokio::test]
async fn a_ruleset_and_a_version_in_a_portal_shape() {
    let app = service();
    let detail = get(&app, &format!("/v1/rulesets/{UG}")).await;
    assert_eq!(detail.status, 200, "{}", detail.text());
    let json = detail.json();
    assert_eq!(json["versions"].as_array().unwrap().len(), 2);
    assert_eq!(json["latest"]["version"], "2026.1");

    let version = get(&app, &format!("/v1/rulesets/{UG}/versions/2025.1")).await;
    assert_eq!(version.status, 200);
    let v = version.json();
    assert_eq!(v["version"], "2025.1");
    for section in [
        "categories",
        "catalog",
        "grading",
        "outcome_kinds",
        "conversions",
        "caps",
        "reviews",
        "warnings",
        "requirements",
    ] {
        assert!(
            !v[section].as_array().unwrap().is_empty(),
            "{section} is empty"
        );
    }
    let conversion = &v["conversions"][0];
    assert!(conversion["text"].as_str().unwrap().contains("convert "));
    assert!(conversion["line"].as_u64().unwrap() > 1);
}

#[tokio::test]
async fn the_source_of_a_version() {
    let app = service();
    let answer = get(&app, &format!("/v1/rulesets/{UG}/versions/2026.1/source")).await;
    assert_eq!(answer.status, 200);
    assert_eq!(answer.text(), source_2026());
    assert!(answer.headers["content-type"]
        .to_str()
        .unwrap()
        .starts_with("text/plain"));
}

#[tokio::test]
async fn unknown_rulesets_and_versions_are_404() {
    let app = service();
    for uri in [
        "/v1/rulesets/nope".to_string(),
        format!("/v1/rulesets/{UG}/versions/1999.1"),
        format!("/v1/rulesets/{UG}/versions/1999.1/source"),
        "/v1/rulesets/nope/versions/2026.1".to_string(),
        "/v1/rulesets/..%2F..%2Fetc%2Fpasswd".to_string(),
        format!("/v1/rulesets/{UG}/versions/..%2F2026.1.cbr/source"),
    ] {
        assert_eq!(
            get(&app, &uri).await.error(404)["code"],
            "not_found",
            "{uri}"
        );
    }
}

/// The `ETag` of an answer, and what the same GET with `If-None-Match` naming it answers.
async fn revalidated(app: &axum::Router, uri: &str) -> (String, Answer) {
    let first = get(app, uri).await;
    assert_eq!(first.status, 200, "{uri}: {}", first.text());
    assert_eq!(first.headers["cache-control"], "no-cache", "{uri}");
    let tag = first.headers["etag"].to_str().unwrap().to_owned();
    let again = send(app, "GET", uri, &[("if-none-match", &tag)], Body::empty()).await;
    (tag, again)
}

#[tokio::test]
async fn a_portal_revalidates_what_it_has_and_gets_304_without_a_body() {
    let app = service();
    for uri in [
        "/v1/rulesets".to_string(),
        format!("/v1/rulesets/{UG}"),
        format!("/v1/rulesets/{UG}/versions/2025.1"),
        format!("/v1/rulesets/{UG}/versions/2026.1/source"),
    ] {
        let (tag, again) = revalidated(&app, &uri).await;
        assert!(
            tag.starts_with("\"sha256:") && tag.ends_with('"'),
            "{uri}: {tag}"
        );
        assert_eq!(again.status, 304, "{uri}");
        assert!(again.body.is_empty(), "{uri}");
        assert_eq!(again.headers["etag"], tag.as_str(), "{uri}");
        // A weak tag, one of a list, or `*` names it too; another tag does not.
        for header in [format!("W/{tag}"), format!("\"other\", {tag}"), "*".into()] {
            let answer = send(
                &app,
                "GET",
                &uri,
                &[("if-none-match", &header)],
                Body::empty(),
            )
            .await;
            assert_eq!(answer.status, 304, "{uri} {header}");
        }
        let other = send(
            &app,
            "GET",
            &uri,
            &[("if-none-match", "\"sha256:0\"")],
            Body::empty(),
        )
        .await;
        assert_eq!(other.status, 200, "{uri}");
        assert_eq!(other.headers["etag"], tag.as_str(), "{uri}");
    }
    // A version's source is tagged with the content hash the list gives for it.
    let list = get(&app, "/v1/rulesets").await.json();
    let (tag, _) = revalidated(&app, &format!("/v1/rulesets/{UG}/versions/2026.1/source")).await;
    assert_eq!(
        tag,
        format!(
            "\"{}\"",
            list["rulesets"][1]["versions"][1]["content_hash"]
                .as_str()
                .unwrap()
        )
    );
    // An unknown version is still 404, whatever the request names.
    let missing = send(
        &app,
        "GET",
        &format!("/v1/rulesets/{UG}/versions/1999.1"),
        &[("if-none-match", "*")],
        Body::empty(),
    )
    .await;
    assert_eq!(missing.error(404)["code"], "not_found");
}

#[tokio::test]
async fn a_changed_version_changes_its_tags_and_an_unchanged_one_keeps_them() {
    let dir = tempfile::tempdir().unwrap();
    copy_rulesets(dir.path());
    let (app, state) = service_over(dir.path().to_path_buf(), |_| {});
    let changed = format!("/v1/rulesets/{UG}/versions/2026.1");
    let kept = format!("/v1/rulesets/{UG}/versions/2025.1");
    let (changed_tag, _) = revalidated(&app, &changed).await;
    let (kept_tag, _) = revalidated(&app, &kept).await;
    let (source_tag, _) = revalidated(&app, &format!("{changed}/source")).await;
    let (list_tag, _) = revalidated(&app, "/v1/rulesets").await;

    let file = dir.path().join("demo-university/undergraduate/2026.1.cbr");
    let text = std::fs::read_to_string(&file).unwrap();
    std::fs::write(&file, text.replacen("示范大学", "示范大學", 1)).unwrap();
    assert!(state.registry.reload().await.ok);

    let ask = |uri: String, tag: String| {
        let app = app.clone();
        async move { send(&app, "GET", &uri, &[("if-none-match", &tag)], Body::empty()).await }
    };
    let answer = ask(changed.clone(), changed_tag.clone()).await;
    assert_eq!(answer.status, 200);
    assert_ne!(answer.headers["etag"], changed_tag.as_str());
    assert_eq!(
        ask(format!("{changed}/source"), source_tag).await.status,
        200
    );
    // The list names the new generation and hash.
    assert_eq!(ask("/v1/rulesets".into(), list_tag).await.status, 200);
    // The version that did not change is still what the portal has.
    assert_eq!(ask(kept, kept_tag).await.status, 304);
}

// ---------------------------------------------------------------------------------------------
// Evaluation

#[tokio::test]
async fn evaluate_names_version_hash_and_a_unique_decision() {
    let app = service();
    let first = assert_decision(&post(&app, "/v1/evaluate", learner()).await);
    let second = assert_decision(&post(&app, "/v1/evaluate", learner()).await);
    assert_ne!(first["decision_id"], second["decision_id"]);
    assert_eq!(
        first["report"]["ruleset"]["selected"],
        "in force at enrolment"
    );
}

/// The service writes a decision through the engine's direct report writer: the bytes are
/// those `serde_json` writes for the same decision, with and without a batch line, at every
/// level of explanation.
#[tokio::test]
async fn a_decision_is_written_as_serde_json_writes_it() {
    use creditbank_engine::evaluate::evaluate;
    use creditbank_engine::report::Explain;
    use creditbank_service::routes::evaluate::{Decision, RulesetUsed};
    let (_, state) = service_over(rulesets(), |_| {});
    let snapshot = state.registry.snapshot();
    let record = creditbank_engine::record::from_json(&learner()).unwrap();
    let (plan, selected) = snapshot.for_learner(&record).unwrap();
    let as_of = creditbank_engine::record::parse_date("2029-07-01");
    for explain in Explain::ALL {
        let report = evaluate(plan, &record, as_of, explain, selected).unwrap();
        for line in [None, Some(7)] {
            let decision = Decision {
                line,
                decision_id: "01a2\"\\".into(),
                ruleset: RulesetUsed {
                    id: &plan.version.id,
                    version: &plan.version.version,
                    content_hash: &plan.version.content_hash,
                },
                report: &report,
            };
            let mut ours = Vec::new();
            decision.write_json(&mut ours);
            assert_eq!(
                String::from_utf8(ours).unwrap(),
                serde_json::to_string(&decision).unwrap(),
                "{explain:?} {line:?}"
            );
        }
    }
}

#[tokio::test]
async fn evaluate_takes_options_in_the_query_or_the_body() {
    let app = service();
    let none = assert_decision(&post(&app, "/v1/evaluate?explain=none", learner()).await);
    let full = assert_decision(&post(&app, "/v1/evaluate?explain=full", learner()).await);
    assert!(none.to_string().len() < full.to_string().len());
    // `rules`: every figure's rule, not the words saying how.
    let rules = assert_decision(&post(&app, "/v1/evaluate?explain=rules", learner()).await);
    let reasons = assert_decision(&post(&app, "/v1/evaluate?explain=reasons", learner()).await);
    let said = |report: &Value| -> usize {
        report["outcomes"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|o| o["decision"] != "unrecognised")
            .map(|o| o["reasons"].as_array().map_or(0, Vec::len))
            .sum()
    };
    assert_eq!(said(&rules["report"]), 0);
    assert!(said(&reasons["report"]) > 0);
    assert_eq!(
        rules["report"]["outcomes"].as_array().unwrap().len(),
        reasons["report"]["outcomes"].as_array().unwrap().len()
    );
    for (r, q) in rules["report"]["outcomes"]
        .as_array()
        .unwrap()
        .iter()
        .zip(reasons["report"]["outcomes"].as_array().unwrap())
    {
        assert_eq!(r["rules"], q["rules"]);
        assert!(
            r["rules"].as_array().is_some_and(|cited| !cited.is_empty()),
            "{r}"
        );
    }
    assert_eq!(rules["report"]["courses"], reasons["report"]["courses"]);

    let mut record: Value = serde_json::from_str(&learner()).unwrap();
    record.as_object_mut().unwrap().remove("as_of");
    let wrapped = json!({"record": record, "as_of": "2027-01-15", "explain": "none"});
    let json = assert_decision(&post(&app, "/v1/evaluate", wrapped.to_string()).await);
    assert_eq!(json["report"]["as_of"], "2027-01-15");
    let json =
        assert_decision(&post(&app, "/v1/evaluate?as_of=2027-03-01", record.to_string()).await);
    assert_eq!(json["report"]["as_of"], "2027-03-01");
}

#[tokio::test]
async fn evaluate_errors_name_the_field() {
    let app = service();
    let e = post(&app, "/v1/evaluate", "{\"learner\": ")
        .await
        .error(400);
    assert_eq!(e["code"], "malformed_json");

    let mut record: Value = serde_json::from_str(&learner()).unwrap();
    record["courses"][3]["score"] = json!("high");
    let e = post(&app, "/v1/evaluate", record.to_string())
        .await
        .error(422);
    assert_eq!(e["code"], "invalid_field");
    assert_eq!(e["field"], "courses[3].score");
    assert_eq!(e["learner"], "2026010137");

    let mut record: Value = serde_json::from_str(&learner()).unwrap();
    record.as_object_mut().unwrap().remove("enrolled");
    let e = post(&app, "/v1/evaluate", record.to_string())
        .await
        .error(422);
    assert!(e["message"].as_str().unwrap().contains("enrolled"), "{e}");

    let mut wrapped = json!({"record": serde_json::from_str::<Value>(&learner()).unwrap()});
    wrapped["record"]["term"] = json!(-3);
    let e = post(&app, "/v1/evaluate", wrapped.to_string())
        .await
        .error(422);
    assert_eq!(e["field"], "record.term");

    let e = post(&app, "/v1/evaluate?explain=loud", learner())
        .await
        .error(422);
    assert_eq!(e["field"], "explain");
    let e = post(&app, "/v1/evaluate?as_of=yesterday", learner())
        .await
        .error(422);
    assert_eq!(e["field"], "as_of");
    let e = post(&app, "/v1/evaluate?colour=red", learner())
        .await
        .error(400);
    assert_eq!(e["code"], "bad_parameter");
    let e = post(&app, "/v1/evaluate", vec![b'{', 0xff, 0xfe, b'}'])
        .await
        .error(400);
    assert_eq!(e["code"], "malformed_json");
}

#[tokio::test]
async fn evaluate_unknown_program_is_404_and_no_version_in_force_422() {
    let app = service();
    let mut record: Value = serde_json::from_str(&learner()).unwrap();
    record["program"] = json!("nowhere/none");
    post(&app, "/v1/evaluate", record.to_string())
        .await
        .error(404);
    let record = json!({"learner": "x", "program": "demo-university/undergraduate",
        "enrolled": "2001-09-01", "as_of": "2002-09-01", "term": 1});
    let e = post(&app, "/v1/evaluate", record.to_string())
        .await
        .error(422);
    assert_eq!(e["code"], "unprocessable", "{e}");
}

#[tokio::test]
async fn body_over_the_limit_is_413() {
    let (app, _) = service_over(rulesets(), |c| c.body_limit = 1000);
    let e = post(&app, "/v1/evaluate", learner()).await.error(413);
    assert_eq!(e["code"], "payload_too_large");
    let e = send(
        &app,
        "POST",
        "/v1/evaluate",
        &[("content-length", "5000000")],
        "x".repeat(5_000_000),
    )
    .await
    .error(413);
    assert_eq!(e["code"], "payload_too_large");
}

#[tokio::test]
async fn what_if_another_version() {
    let app = service();
    let body = json!({
        "record": serde_json::from_str::<Value>(&learner()).unwrap(),
        "program": "demo-university/undergraduate@2025.1",
    });
    let json = assert_decision(&post(&app, "/v1/what-if", body.to_string()).await);
    assert_eq!(json["ruleset"]["version"], "2025.1");
    assert_eq!(
        json["report"]["ruleset"]["selected"],
        "what-if: named version"
    );

    let body = json!({
        "record": serde_json::from_str::<Value>(&learner()).unwrap(),
        "program": "demo-university/undergraduate@1999.9",
    });
    post(&app, "/v1/what-if", body.to_string()).await.error(404);
    let e = post(&app, "/v1/what-if", json!({"program": "x"}).to_string())
        .await
        .error(422);
    assert!(e["message"].as_str().unwrap().contains("record"), "{e}");
}

/// Two applications to review: an approved competition and an outcome of an unknown kind.
fn two_applications() -> Value {
    json!({
        "program": "demo-university/undergraduate",
        "applications": [
            {"learner": "2026010001", "outcome": {
                "id": "comp-2027-01", "kind": "competition",
                "attributes": {"name": "全国大学生数学建模竞赛", "level": "national", "award": "first", "listed": "yes"},
                "date": "2027-11-20", "evidence": ["certificate", "notice"]}},
            {"learner": "2026010004", "outcome": {"id": "robot-2028", "kind": "robotics", "date": "2028-05-01"}}
        ]
    })
}

#[tokio::test]
async fn review_decides_each_application() {
    let app = service();
    let body = two_applications();
    let answer = post(&app, "/v1/review", body.to_string()).await;
    assert_eq!(answer.status, 200, "{}", answer.text());
    let json = answer.json();
    assert_eq!(json["ruleset"]["version"], "2026.1");
    assert!(json["decision_id"].is_string());
    let decisions = json["decisions"].as_array().unwrap();
    assert_eq!(decisions.len(), 2);
    assert_eq!(decisions[1]["decision"], "unrecognised");
    assert_ne!(decisions[0]["decision_id"], decisions[1]["decision_id"]);
    assert_eq!(decisions[0]["learner"], "2026010001");

    let unknown = json!({"program": "x/y", "applications": []});
    post(&app, "/v1/review", unknown.to_string())
        .await
        .error(404);
    let e = post(&app, "/v1/review", json!({"program": 3}).to_string())
        .await
        .error(422);
    assert_eq!(e["field"], "program");
}

#[tokio::test]
async fn batch_streams_a_line_per_learner_and_an_error_line_for_a_bad_one() {
    let app = service();
    let one_line: Value = serde_json::from_str(&learner()).unwrap();
    let body = format!("{one_line}\n{{\"learner\": 5}}\n\n{one_line}\nnot json\n");
    let answer = post(&app, "/v1/evaluate/batch", body).await;
    assert_eq!(answer.status, 200);
    assert_eq!(answer.headers["content-type"], "application/x-ndjson");
    let lines: Vec<Value> = answer
        .text()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 4, "{}", answer.text());
    assert_eq!(lines[0]["line"], 1);
    assert!(lines[0]["decision_id"].is_string());
    assert_eq!(lines[1]["line"], 2);
    assert_eq!(lines[1]["error"]["status"], 422);
    assert_eq!(lines[1]["error"]["field"], "learner");
    assert_eq!(lines[2]["line"], 4);
    assert_eq!(lines[2]["ruleset"]["id"], "demo-university/undergraduate");
    assert_eq!(lines[3]["line"], 5);
    assert_eq!(lines[3]["error"]["code"], "malformed_json");
}

// ---------------------------------------------------------------------------------------------
// Rules

#[tokio::test]
async fn check_gives_diagnostics_with_spans() {
    let app = service();
    let good = post(
        &app,
        "/v1/check",
        json!({"source": source_2026()}).to_string(),
    )
    .await;
    assert_eq!(good.status, 200);
    assert_eq!(good.json()["ok"], true);

    let broken = source_2026().replacen("into innovation", "into inovation", 1);
    let answer = post(
        &app,
        "/v1/check",
        json!({"source": broken, "name": "mine.cbr"}).to_string(),
    )
    .await;
    assert_eq!(answer.status, 200);
    let json = answer.json();
    assert_eq!(json["ok"], false);
    let d = &json["diagnostics"][0];
    assert_eq!(d["code"], "E011");
    assert_eq!(d["file"], "mine.cbr");
    assert!(d["line"].as_u64().unwrap() > 1);
    assert!(d["end_column"].as_u64().unwrap() > d["column"].as_u64().unwrap());

    let plain = send(
        &app,
        "POST",
        "/v1/check",
        &[("content-type", "text/plain")],
        "categories {",
    )
    .await;
    assert_eq!(plain.status, 200);
    assert_eq!(plain.json()["ok"], false);
    post(&app, "/v1/check", json!({"text": "x"}).to_string())
        .await
        .error(422);
}

// ---------------------------------------------------------------------------------------------
// Cohorts

fn cohort() -> Value {
    let record: Value = serde_json::from_str(&learner()).unwrap();
    json!([record, {"learner": "bad"}])
}

#[tokio::test]
async fn dry_run_gives_the_impact_of_a_candidate() {
    let app = service();
    let auth = bearer(ADMIN);
    let body = json!({
        "candidate": source_2026(),
        "from": "demo-university/undergraduate@2025.1",
        "cohort": cohort(),
    });
    let answer = send(
        &app,
        "POST",
        "/v1/dry-run",
        &[("authorization", &auth)],
        body.to_string(),
    )
    .await;
    assert_eq!(answer.status, 200, "{}", answer.text());
    let json = answer.json();
    assert_eq!(json["from"]["version"], "2025.1");
    assert_eq!(json["to"]["version"], "2026.1");
    assert_eq!(json["impact"]["learners"], 2);
    assert_eq!(json["impact"]["errors"], 1);
    assert_eq!(json["errors"][0]["index"], 1);
    assert!(json["diff"].is_object());

    let broken = json!({"candidate": "ruleset \"x\" {", "cohort": []});
    let answer = send(
        &app,
        "POST",
        "/v1/dry-run",
        &[("authorization", &auth)],
        broken.to_string(),
    )
    .await;
    let e = answer.error(422);
    assert_eq!(e["code"], "ruleset_errors");
    assert!(e["diagnostics"][0]["line"].is_number());

    let unknown = json!({"candidate": source_2026(), "from": "x@1", "cohort": []});
    send(
        &app,
        "POST",
        "/v1/dry-run",
        &[("authorization", &auth)],
        unknown.to_string(),
    )
    .await
    .error(404);
}

#[tokio::test]
async fn stats_of_a_cohort() {
    let app = service();
    let answer = post(
        &app,
        "/v1/stats",
        json!({"cohort": cohort(), "group_by": "program"}).to_string(),
    )
    .await;
    assert_eq!(answer.status, 200, "{}", answer.text());
    let json = answer.json();
    assert_eq!(json["stats"]["schema"], "creditbank-stats/1");
    assert_eq!(json["errors"].as_array().unwrap().len(), 1);
    let e = post(
        &app,
        "/v1/stats",
        json!({"cohort": [], "group_by": "colour"}).to_string(),
    )
    .await
    .error(422);
    assert_eq!(e["field"], "group_by");
}

// ---------------------------------------------------------------------------------------------
// Auth

#[tokio::test]
async fn admin_routes_need_the_admin_token() {
    let (app, _) = service_over(rulesets(), |c| c.evaluation_token = Some(EVAL.into()));
    let e = post(&app, "/v1/admin/reload", "").await.error(401);
    assert_eq!(e["code"], "unauthenticated");
    let wrong = bearer("nope");
    send(
        &app,
        "POST",
        "/v1/admin/reload",
        &[("authorization", &wrong)],
        "",
    )
    .await
    .error(401);
    let eval = bearer(EVAL);
    let e = send(
        &app,
        "POST",
        "/v1/admin/reload",
        &[("authorization", &eval)],
        "",
    )
    .await
    .error(403);
    assert_eq!(e["code"], "forbidden");
    send(
        &app,
        "POST",
        "/v1/dry-run",
        &[("authorization", &eval)],
        "{}",
    )
    .await
    .error(403);
    let admin = bearer(ADMIN);
    let ok = send(
        &app,
        "POST",
        "/v1/admin/reload",
        &[("authorization", &admin)],
        "",
    )
    .await;
    assert_eq!(ok.status, 200, "{}", ok.text());
    assert_eq!(ok.json()["generation"], 2);
}

#[tokio::test]
async fn admin_routes_are_forbidden_without_a_configured_token() {
    let (app, _) = service_over(rulesets(), |c| c.admin_token = None);
    let admin = bearer(ADMIN);
    let e = send(
        &app,
        "POST",
        "/v1/admin/reload",
        &[("authorization", &admin)],
        "",
    )
    .await
    .error(403);
    assert!(e["message"].as_str().unwrap().contains("disabled"));
}

#[tokio::test]
async fn evaluation_routes_need_a_token_when_one_is_configured() {
    let (app, _) = service_over(rulesets(), |c| c.evaluation_token = Some(EVAL.into()));
    post(&app, "/v1/evaluate", learner()).await.error(401);
    get(&app, "/v1/rulesets").await.error(401);
    let eval = bearer(EVAL);
    let ok = send(
        &app,
        "POST",
        "/v1/evaluate",
        &[("authorization", &eval)],
        learner(),
    )
    .await;
    assert_decision(&ok);
    let admin = bearer(ADMIN);
    let ok = send(
        &app,
        "GET",
        "/v1/rulesets",
        &[("authorization", &admin)],
        "",
    )
    .await;
    assert_eq!(ok.status, 200);
    // Operations stay open.
    assert_eq!(get(&app, "/healthz").await.status, 200);
}

#[tokio::test]
async fn cors_allows_the_configured_origins_only() {
    let (app, _) = service_over(rulesets(), |c| {
        c.cors_origins = vec!["https://portal.example.edu".into()]
    });
    let preflight = |origin: &'static str| {
        let app = app.clone();
        async move {
            send(
                &app,
                "OPTIONS",
                "/v1/evaluate",
                &[
                    ("origin", origin),
                    ("access-control-request-method", "POST"),
                ],
                "",
            )
            .await
        }
    };
    let allowed = preflight("https://portal.example.edu").await;
    assert_eq!(
        allowed.headers["access-control-allow-origin"],
        "https://portal.example.edu"
    );
    let other = preflight("https://evil.example.com").await;
    assert!(!other.headers.contains_key("access-control-allow-origin"));
    // A portal may revalidate what it has, and read the tag of what it gets.
    let revalidating = send(
        &app,
        "OPTIONS",
        "/v1/rulesets",
        &[
            ("origin", "https://portal.example.edu"),
            ("access-control-request-method", "GET"),
            ("access-control-request-headers", "if-none-match"),
        ],
        "",
    )
    .await;
    let allowed = revalidating.headers["access-control-allow-headers"]
        .to_str()
        .unwrap()
        .to_owned();
    assert!(allowed.contains("if-none-match"), "{allowed}");
    let listed = send(
        &app,
        "GET",
        "/v1/rulesets",
        &[("origin", "https://portal.example.edu")],
        "",
    )
    .await;
    let exposed = listed.headers["access-control-expose-headers"]
        .to_str()
        .unwrap()
        .to_owned();
    assert!(exposed.contains("etag"), "{exposed}");
}

// ---------------------------------------------------------------------------------------------
// Reload and the decision log

fn copy_rulesets(to: &std::path::Path) {
    for entry in [
        "demo-university/undergraduate",
        "demo-open-university/lifelong-learning",
    ] {
        let dir = to.join(entry);
        std::fs::create_dir_all(&dir).unwrap();
        for file in std::fs::read_dir(rulesets().join(entry)).unwrap() {
            let path = file.unwrap().path();
            if path.extension().is_some_and(|e| e == "cbr") {
                std::fs::copy(&path, dir.join(path.file_name().unwrap())).unwrap();
            }
        }
    }
}

#[tokio::test]
async fn a_broken_reload_keeps_the_last_good_rulesets() {
    let dir = tempfile::tempdir().unwrap();
    copy_rulesets(dir.path());
    let (app, _) = service_over(dir.path().to_path_buf(), |_| {});
    let admin = bearer(ADMIN);
    let file = dir.path().join("demo-university/undergraduate/2026.1.cbr");
    let good = std::fs::read_to_string(&file).unwrap();
    std::fs::write(&file, good.replacen("into innovation", "into inovation", 1)).unwrap();

    let answer = send(
        &app,
        "POST",
        "/v1/admin/reload",
        &[("authorization", &admin)],
        "",
    )
    .await;
    let e = answer.error(422);
    assert_eq!(e["code"], "ruleset_errors");
    assert_eq!(e["diagnostics"][0]["code"], "E011");
    assert!(e["diagnostics"][0]["file"]
        .as_str()
        .unwrap()
        .ends_with("2026.1.cbr"));
    // The last good rulesets still answer.
    assert_decision(&post(&app, "/v1/evaluate", learner()).await);
    let ready = get(&app, "/readyz").await.json();
    assert_eq!(ready["ready"], true);
    assert_eq!(ready["reload"]["ok"], false);
    assert_eq!(ready["reload"]["generation"], 1);
    assert!(get(&app, "/metrics")
        .await
        .text()
        .contains("creditbank_reload_ok 0"));

    std::fs::write(&file, good.replace("2026.1", "2026.2")).unwrap();
    let answer = send(
        &app,
        "POST",
        "/v1/admin/reload",
        &[("authorization", &admin)],
        "",
    )
    .await;
    assert_eq!(answer.status, 200, "{}", answer.text());
    let json = assert_decision(&post(&app, "/v1/evaluate", learner()).await);
    assert_eq!(json["ruleset"]["version"], "2026.2");
}

#[tokio::test]
async fn a_snapshot_taken_before_a_reload_stays_whole() {
    let dir = tempfile::tempdir().unwrap();
    copy_rulesets(dir.path());
    let (_, state) = service_over(dir.path().to_path_buf(), |_| {});
    let before = state.registry.snapshot();
    let file = dir.path().join("demo-university/undergraduate/2026.1.cbr");
    let text = std::fs::read_to_string(&file).unwrap();
    std::fs::write(&file, text.replace("2026.1", "2026.2")).unwrap();
    assert!(state.registry.reload().await.ok);
    assert!(before
        .plan("demo-university/undergraduate", "2026.1")
        .is_some());
    let after = state.registry.snapshot();
    assert!(after
        .plan("demo-university/undergraduate", "2026.2")
        .is_some());
    assert_eq!(after.generation, before.generation + 1);
}

#[tokio::test]
async fn the_decision_log_holds_a_hash_of_the_learner_not_the_id() {
    let dir = tempfile::tempdir().unwrap();
    let log = dir.path().join("decisions.ndjson");
    let (app, _) = service_over(rulesets(), |c| c.decision_log = Some(log.clone()));
    let first = assert_decision(&post(&app, "/v1/evaluate", learner()).await);
    assert_decision(&post(&app, "/v1/evaluate?explain=none", learner()).await);
    let text = std::fs::read_to_string(&log).unwrap();
    let lines: Vec<Value> = text
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 2);
    assert_eq!(lines[0]["decision_id"], first["decision_id"]);
    assert_eq!(lines[0]["version"], "2026.1");
    assert!(lines[0]["content_hash"]
        .as_str()
        .unwrap()
        .starts_with("sha256:"));
    assert_eq!(
        lines[0]["learner_sha256"],
        creditbank_service::decision_log::learner_hash("2026010137")
    );
    assert!(!text.contains("2026010137"));
    assert_eq!(
        lines[0]["summary"]["total_credits"],
        first["report"]["total_credits"]
    );
}

#[tokio::test]
async fn the_decision_log_holds_each_review_decision_under_its_id() {
    let dir = tempfile::tempdir().unwrap();
    let log = dir.path().join("decisions.ndjson");
    let (app, _) = service_over(rulesets(), |c| c.decision_log = Some(log.clone()));
    let body = two_applications();
    let answer = post(&app, "/v1/review", body.to_string()).await;
    assert_eq!(answer.status, 200, "{}", answer.text());
    let answer = answer.json();
    let text = std::fs::read_to_string(&log).unwrap();
    let lines: Vec<Value> = text
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 2, "{text}");
    for (line, decision) in lines.iter().zip(answer["decisions"].as_array().unwrap()) {
        assert_eq!(line["decision_id"], decision["decision_id"]);
        assert_eq!(line["endpoint"], "review");
        assert_eq!(line["version"], answer["ruleset"]["version"]);
        assert_eq!(line["content_hash"], answer["ruleset"]["content_hash"]);
        assert_eq!(line["summary"]["outcome"], decision["outcome"]);
        assert_eq!(line["summary"]["decision"], decision["decision"]);
        assert_eq!(
            line["learner_sha256"],
            creditbank_service::decision_log::learner_hash(decision["learner"].as_str().unwrap())
        );
    }
    assert_eq!(lines[1]["summary"]["decision"], "unrecognised");
    assert!(!text.contains("2026010001") && !text.contains("2026010004"));
}

#[tokio::test]
async fn a_request_over_the_timeout_is_408_in_the_error_shape() {
    let (app, _) = service_over(rulesets(), |c| {
        c.timeout = std::time::Duration::from_millis(1)
    });
    let record: Value = serde_json::from_str(&learner()).unwrap();
    let cohort: Vec<Value> = std::iter::repeat_n(record, 400).collect();
    let e = post(&app, "/v1/stats", json!({"cohort": cohort}).to_string())
        .await
        .error(408);
    assert_eq!(e["code"], "timeout");
    // The service goes on.
    assert_eq!(get(&app, "/healthz").await.status, 200);
}

#[cfg(target_os = "linux")]
#[tokio::test]
async fn a_decision_log_that_cannot_be_written_is_a_500_in_the_error_shape() {
    // Every write to /dev/full fails: a server-side failure, not the request's fault.
    let (app, _) = service_over(rulesets(), |c| c.decision_log = Some("/dev/full".into()));
    let e = post(&app, "/v1/evaluate", learner()).await.error(500);
    assert_eq!(e["code"], "internal");
    assert!(e["message"].as_str().unwrap().contains("decision log"));
    assert_eq!(get(&app, "/healthz").await.status, 200);
}

#[tokio::test]
async fn batch_reads_its_body_as_it_comes_and_stops_at_a_line_over_the_limit() {
    let (app, _) = service_over(rulesets(), |c| c.body_limit = 100_000);
    let line: Value = serde_json::from_str(&learner()).unwrap();
    let text = format!("{line}\n{line}\n");
    // Chunks that cut the lines anywhere.
    let chunks: Vec<Result<axum::body::Bytes, std::convert::Infallible>> = text
        .as_bytes()
        .chunks(97)
        .map(|c| Ok(axum::body::Bytes::copy_from_slice(c)))
        .collect();
    let body = Body::from_stream(futures_util::stream::iter(chunks));
    let answer = send(&app, "POST", "/v1/evaluate/batch", &[], body).await;
    assert_eq!(answer.status, 200);
    let lines: Vec<Value> = answer
        .text()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 2, "{}", answer.text());
    assert_eq!(lines[1]["line"], 2);
    assert!(lines[1]["decision_id"].is_string());

    let long = format!("{line}\n{}\n{line}\n", "x".repeat(200_000));
    let answer = post(&app, "/v1/evaluate/batch", long).await;
    let lines: Vec<Value> = answer
        .text()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 3, "{}", answer.text());
    assert_eq!(lines[1]["line"], 2);
    assert_eq!(lines[1]["error"]["status"], 413);
    assert_eq!(lines[2]["line"], 3);
    assert!(lines[2]["decision_id"].is_string());

    // A line still growing past the limit ends the batch.
    let endless = format!("{line}\n{}", "x".repeat(200_000));
    let chunks: Vec<Result<axum::body::Bytes, std::convert::Infallible>> = endless
        .as_bytes()
        .chunks(4096)
        .map(|c| Ok(axum::body::Bytes::copy_from_slice(c)))
        .collect();
    let body = Body::from_stream(futures_util::stream::iter(chunks));
    let answer = send(&app, "POST", "/v1/evaluate/batch", &[], body).await;
    let lines: Vec<Value> = answer
        .text()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 2, "{}", answer.text());
    assert_eq!(lines[1]["error"]["code"], "payload_too_large");

    let (small, _) = service_over(rulesets(), |c| c.cohort_body_limit = 1000);
    let length = text.len().to_string();
    send(
        &small,
        "POST",
        "/v1/evaluate/batch",
        &[("content-length", length.as_str())],
        text.clone(),
    )
    .await
    .error(413);
    // Without a length, the body is cut off where it passes the limit.
    let answer = post(&small, "/v1/evaluate/batch", text).await;
    assert_eq!(answer.status, 200);
    assert!(answer.text().contains("payload_too_large"));
}
