mod common;

use common::{Backend, SLUG, body_with as with, spawn_app, spawn_app_with, valid_answers};
use serde_json::{Value, json};
use uuid::Uuid;

async fn a_valid_submission_is_stored_whole_and_read_back(backend: Backend) {
    let app = spawn_app(backend).await;
    let resp = app
        .post_response(json!({"answers": valid_answers()}).to_string())
        .await;
    assert_eq!(resp.status(), 201);
    let body: Value = resp.json().await.expect("json");
    let id = Uuid::parse_str(body["id"].as_str().expect("id")).expect("uuid");
    assert_eq!(id.get_version_num(), 7);

    let store = app.store();
    let stored = store.load_response(id).expect("query").expect("stored");
    let def = common::demo_definition();
    let back = Value::Object(stored.answers(&def).to_json());
    assert_eq!(back, valid_answers());
    assert_eq!(stored.version, 1);
    assert_eq!(stored.definition_version, 1);
    assert_eq!(stored.receipt, body["receipt"].as_str().expect("receipt"));
    assert_eq!(store.integrity_check().expect("check"), "ok");
}

async fn listing_and_definition_endpoints_describe_the_consultation(backend: Backend) {
    let app = spawn_app(backend).await;
    let list: Value = app.get_json("/api/consultations").await;
    assert_eq!(list[0]["slug"], SLUG);
    assert_eq!(list[0]["open"], true);
    let def: Value = app.get_json(&format!("/api/consultations/{SLUG}")).await;
    let q8 = def["sections"]
        .as_array()
        .expect("sections")
        .iter()
        .flat_map(|s| s["questions"].as_array().cloned().unwrap_or_default())
        .find(|q| q["id"] == "q8")
        .expect("q8");
    assert_eq!(q8["kind"], "single_choice");
    let codes: Vec<&str> = q8["options"]
        .as_array()
        .expect("options")
        .iter()
        .filter_map(|o| o["code"].as_str())
        .collect();
    assert_eq!(codes, ["remain", "tweak", "abolish"]);
    let missing = app
        .client
        .get(format!("{}/api/consultations/nope", app.address))
        .send()
        .await
        .expect("get");
    assert_eq!(missing.status(), 404);
}

async fn the_openapi_document_lists_the_routes(backend: Backend) {
    let app = spawn_app(backend).await;
    let doc: Value = app.get_json("/api/openapi.json").await;
    for path in [
        "/api/consultations",
        "/api/consultations/{slug}",
        "/api/consultations/{slug}/responses",
        "/api/consultations/{slug}/results",
        "/api/consultations/{slug}/breakdown",
        "/api/consultations/{slug}/breakdown.csv",
        "/api/consultations/{slug}/charts/{file}",
        "/api/consultations/{slug}/headlines",
        "/api/consultations/{slug}/export",
        "/api/consultations/{slug}/export/disclosure",
        "/api/consultations/{slug}/open",
        "/api/consultations/{slug}/close",
    ] {
        assert!(doc["paths"].get(path).is_some(), "{path} missing");
    }
    for schema in [
        "BreakdownBody",
        "GroupRow",
        "ChiSquare",
        "Interval",
        "HeadlineSentence",
    ] {
        assert!(
            doc["components"]["schemas"].get(schema).is_some(),
            "{schema} missing"
        );
    }
    assert!(
        doc["paths"]["/api/consultations/{slug}/responses"]["post"]["responses"]
            .get("422")
            .is_some()
    );
}

async fn every_kind_of_bad_input_is_refused_and_nothing_is_stored(backend: Backend) {
    let app = spawn_app(backend).await;
    let not_json: Vec<(&str, Vec<u8>)> = vec![
        ("malformed", b"{\"answers\": ".to_vec()),
        ("empty", Vec::new()),
        ("invalid utf-8", vec![b'{', 0xff, 0xfe, b'}']),
    ];
    for (what, body) in not_json {
        let resp = app.post_response(body).await;
        assert_eq!(resp.status(), 400, "{what}");
        let body: Value = resp.json().await.expect("json");
        assert_eq!(body["errors"][0]["field"], "body", "{what}");
    }
    let cases: Vec<(&str, String, &str)> = vec![
        (
            "unknown question",
            with(|a| {
                a.insert("q99".into(), json!("agree"));
            }),
            "q99",
        ),
        (
            "unknown option code",
            with(|a| {
                a.insert("q1".into(), json!("maybe"));
            }),
            "q1",
        ),
        (
            "missing required answer",
            with(|a| {
                a.remove("region");
            }),
            "region",
        ),
        (
            "conditional now required",
            with(|a| {
                a.remove("q11_who");
            }),
            "q11_who",
        ),
        (
            "condition not met",
            with(|a| {
                a.insert("q11".into(), json!("definitely_not"));
            }),
            "q11_who",
        ),
        (
            "text too long",
            with(|a| {
                a.insert("q12".into(), json!("x".repeat(2001)));
            }),
            "q12",
        ),
        (
            "string for a list",
            with(|a| {
                a.insert("q5b".into(), json!("quality"));
            }),
            "q5b",
        ),
        (
            "null for required",
            with(|a| {
                a.insert("role".into(), Value::Null);
            }),
            "role",
        ),
        (
            "number for a choice",
            with(|a| {
                a.insert("q4".into(), json!(4));
            }),
            "q4",
        ),
        (
            "submission_id not a uuid",
            json!({"submission_id": "abc", "answers": valid_answers()}).to_string(),
            "submission_id",
        ),
        (
            "answers missing",
            json!({"submission_id": Uuid::now_v7()}).to_string(),
            "answers",
        ),
        ("not an object", "[1, 2]".into(), "body"),
    ];
    for (what, body, field) in cases {
        let resp = app.post_response(body).await;
        assert_eq!(resp.status(), 422, "{what}");
        let body: Value = resp.json().await.expect("json");
        let fields: Vec<&str> = body["errors"]
            .as_array()
            .expect("errors")
            .iter()
            .filter_map(|e| e["field"].as_str())
            .collect();
        assert!(fields.contains(&field), "{what}: {body}");
        assert!(
            body["errors"][0]["message"]
                .as_str()
                .is_some_and(|m| !m.is_empty()),
            "{what}"
        );
    }
    // Several problems come back together.
    let resp = app
        .post_response(with(|a| {
            a.insert("q1".into(), json!("maybe"));
            a.remove("region");
            a.insert("zzz".into(), json!(1));
        }))
        .await;
    assert_eq!(resp.status(), 422);
    let body: Value = resp.json().await.expect("json");
    assert_eq!(body["errors"].as_array().map(Vec::len), Some(3), "{body}");
    assert_eq!(app.stored_count(), 0);
}

async fn oversized_bodies_get_413_and_unknown_consultations_404(backend: Backend) {
    let app = spawn_app(backend).await;
    let big = json!({"answers": {"q12": "x".repeat(1 << 20)}}).to_string();
    let resp = app.post_response(big).await;
    assert_eq!(resp.status(), 413);
    let resp = app
        .client
        .post(format!("{}/api/consultations/nope/responses", app.address))
        .body("{}")
        .send()
        .await
        .expect("send");
    assert_eq!(resp.status(), 404);
    let body: Value = resp.json().await.expect("json");
    assert_eq!(body["errors"][0]["field"], "slug");
    assert_eq!(app.stored_count(), 0);
}

async fn a_closed_consultation_refuses_submissions_with_409(backend: Backend) {
    let dir = tempfile::tempdir().expect("dir");
    let mut def: Value = serde_json::from_str(
        &std::fs::read_to_string(common::repo_path(
            "fixtures/consultations/next-steps-for-system-working.json",
        ))
        .expect("read"),
    )
    .expect("json");
    def["closes_at"] = json!("2020-09-30T23:59:59Z");
    std::fs::write(dir.path().join("closed.json"), def.to_string()).expect("write");
    let app = spawn_app_with(backend, dir.path()).await;
    let resp = app
        .post_response(json!({"answers": valid_answers()}).to_string())
        .await;
    assert_eq!(resp.status(), 409);
    let page = app
        .client
        .post(format!("{}/consultations/{SLUG}/start", app.address))
        .send()
        .await
        .expect("send");
    assert_eq!(
        page.status(),
        403,
        "no CSRF token: refused before anything else"
    );
    assert_eq!(app.stored_count(), 0);
}

async fn a_bad_definition_stops_the_service_from_starting(backend: Backend) {
    let dir = tempfile::tempdir().expect("dir");
    std::fs::write(dir.path().join("bad.json"), r#"{"slug": "x", "title": "X", "sections": [{"id": "s", "title": "S", "questions": [
        {"id": "q1", "kind": "single_choice", "text": "Q", "options": [{"code": "a", "label": "A"}, {"code": "a", "label": "B"}]}]}]}"#).expect("write");
    let db = common::test_db(backend);
    let err = consult::startup::Application::build(common::settings(&db.url, dir.path()))
        .await
        .err()
        .expect("refused");
    let text = format!("{err:#}");
    assert!(
        text.contains("sections[0].questions[0].options[1].code: option code 'a' is used twice"),
        "{text}"
    );
}

async fn results_count_every_answer_and_revalidate_by_etag(backend: Backend) {
    let app = spawn_app(backend).await;
    let empty = common::results(&app.client, &app.address).await;
    assert_eq!(empty["responses"], 0);
    assert_eq!(common::count_of(&empty, "q1", "agree"), 0);
    // Six responses: q1 agree, partly_agree, disagree, dont_know, agree,
    // partly_agree; stakeholder groups acute, ccg, pcn, acute, ccg, pcn.
    common::submit_varied(&app.client, &app.address, 6).await;
    let url = format!("{}/api/consultations/{SLUG}/results", app.address);
    let r = app.client.get(&url).send().await.expect("get");
    assert_eq!(r.status(), 200);
    let etag = r.headers()["etag"].to_str().expect("etag").to_owned();
    let body: Value = r.json().await.expect("json");
    assert_eq!(body["responses"], 6);
    for (code, n) in [
        ("agree", 2),
        ("partly_agree", 2),
        ("disagree", 1),
        ("dont_know", 1),
    ] {
        assert_eq!(common::count_of(&body, "q1", code), n, "q1 {code}");
    }
    for (code, n) in [("acute_trust", 2), ("ccg", 2), ("pcn", 2), ("other", 0)] {
        assert_eq!(
            common::count_of(&body, "stakeholder_group", code),
            n,
            "{code}"
        );
    }
    // Multiple choice: every response chose mental_health and quality.
    assert_eq!(common::count_of(&body, "q5b", "quality"), 6);
    let q1 = &body["questions"].as_array().expect("questions")[3];
    assert_eq!(q1["id"], "q1", "questions keep the definition's order");
    assert_eq!(q1["answered"], 6);
    let codes: Vec<&str> = q1["options"]
        .as_array()
        .expect("options")
        .iter()
        .map(|o| o["code"].as_str().unwrap_or_default())
        .collect();
    assert_eq!(codes, common::Q1_CODES);

    let same = app
        .client
        .get(&url)
        .header("if-none-match", &etag)
        .send()
        .await
        .expect("get");
    assert_eq!(same.status(), 304);
    let (status, _) =
        common::submit(&app.client, &app.address, &common::varied_answers(2), None).await;
    assert_eq!(status, 201);
    let changed = app
        .client
        .get(&url)
        .header("if-none-match", &etag)
        .send()
        .await
        .expect("get");
    assert_eq!(changed.status(), 200, "a new response changes the ETag");
    let body: Value = changed.json().await.expect("json");
    assert_eq!(common::count_of(&body, "q1", "disagree"), 2);

    let missing = app
        .client
        .get(format!("{}/api/consultations/nope/results", app.address))
        .send()
        .await
        .expect("get");
    assert_eq!(missing.status(), 404);
}

on_both_backends!(
    results_count_every_answer_and_revalidate_by_etag,
    a_valid_submission_is_stored_whole_and_read_back,
    listing_and_definition_endpoints_describe_the_consultation,
    the_openapi_document_lists_the_routes,
    every_kind_of_bad_input_is_refused_and_nothing_is_stored,
    oversized_bodies_get_413_and_unknown_consultations_404,
    a_closed_consultation_refuses_submissions_with_409,
    a_bad_definition_stops_the_service_from_starting,
);
