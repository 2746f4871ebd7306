mod common;

use common::{Backend, SLUG, spawn_app, spawn_app_with, valid_answers};
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

fn with(change: impl FnOnce(&mut serde_json::Map<String, Value>)) -> String {
    let mut a = valid_answers().as_object().cloned().unwrap_or_default();
    change(&mut a);
    json!({"answers": a}).to_string()
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

async fn a_retried_submission_is_stored_once(backend: Backend) {
    let app = spawn_app(backend).await;
    let sid = Uuid::now_v7();
    let body = json!({"submission_id": sid, "answers": valid_answers()}).to_string();
    let first = app.post_response(body.clone()).await;
    assert_eq!(first.status(), 201);
    let first: Value = first.json().await.expect("json");
    let again = app.post_response(body).await;
    assert_eq!(again.status(), 200);
    let again: Value = again.json().await.expect("json");
    assert_eq!(first["id"], again["id"]);
    let other = with(|a| {
        a.insert("q1".into(), json!("agree"));
        a.remove("q1_why");
    });
    let mut other: Value = serde_json::from_str(&other).expect("json");
    other["submission_id"] = json!(sid);
    let conflict = app.post_response(other.to_string()).await;
    assert_eq!(conflict.status(), 409);
    assert_eq!(app.stored_count(), 1);
}

async fn simultaneous_copies_of_one_submission_store_one_response(backend: Backend) {
    let app = spawn_app(backend).await;
    let body = json!({"submission_id": Uuid::now_v7(), "answers": valid_answers()}).to_string();
    let tasks: Vec<_> = (0..20)
        .map(|_| {
            let (client, url, body) = (
                app.client.clone(),
                format!("{}/api/consultations/{SLUG}/responses", app.address),
                body.clone(),
            );
            tokio::spawn(async move {
                let r = client
                    .post(url)
                    .header("content-type", "application/json")
                    .body(body)
                    .send()
                    .await
                    .expect("send");
                let status = r.status().as_u16();
                let v: Value = r.json().await.expect("json");
                (status, v["id"].as_str().unwrap_or_default().to_owned())
            })
        })
        .collect();
    let mut ids = std::collections::HashSet::new();
    let mut created = 0;
    for t in tasks {
        let (status, id) = t.await.expect("task");
        assert!(status == 200 || status == 201, "{status}");
        created += usize::from(status == 201);
        ids.insert(id);
    }
    assert_eq!(created, 1);
    assert_eq!(ids.len(), 1);
    assert_eq!(app.stored_count(), 1);
}

async fn two_hundred_concurrent_submissions_are_all_stored(backend: Backend) {
    let app = spawn_app(backend).await;
    let body = json!({"answers": valid_answers()}).to_string();
    let tasks: Vec<_> = (0..200)
        .map(|_| {
            let (client, url, body) = (
                app.client.clone(),
                format!("{}/api/consultations/{SLUG}/responses", app.address),
                body.clone(),
            );
            tokio::spawn(async move {
                client
                    .post(url)
                    .header("content-type", "application/json")
                    .body(body)
                    .send()
                    .await
                    .expect("send")
                    .status()
                    .as_u16()
            })
        })
        .collect();
    for t in tasks {
        assert_eq!(t.await.expect("task"), 201);
    }
    assert_eq!(app.stored_count(), 200);
    assert_eq!(app.store().integrity_check().expect("check"), "ok");
}

/// Submissions arriving together share a transaction: one refused among
/// them (a submission_id reused with other answers) is rolled back alone,
/// every other is stored and acknowledged, and each acknowledged one counts.
async fn a_refused_submission_does_not_take_its_neighbours_with_it(backend: Backend) {
    let app = spawn_app(backend).await;
    let sid = Uuid::now_v7();
    let first = json!({"submission_id": sid, "answers": valid_answers()}).to_string();
    assert_eq!(app.post_response(first).await.status(), 201);
    let clash = with(|a| {
        a.insert("q1".into(), json!("agree"));
        a.remove("q1_why");
    });
    let mut clash: Value = serde_json::from_str(&clash).expect("json");
    clash["submission_id"] = json!(sid);
    let bodies: Vec<String> = (0..120)
        .map(|i| {
            if i % 40 == 7 {
                clash.to_string()
            } else {
                json!({"answers": common::varied_answers(i)}).to_string()
            }
        })
        .collect();
    let tasks: Vec<_> = bodies
        .into_iter()
        .map(|body| {
            let (client, url) = (
                app.client.clone(),
                format!("{}/api/consultations/{SLUG}/responses", app.address),
            );
            tokio::spawn(async move {
                let r = client
                    .post(url)
                    .header("content-type", "application/json")
                    .body(body)
                    .send()
                    .await
                    .expect("send");
                r.status().as_u16()
            })
        })
        .collect();
    let mut statuses = Vec::new();
    for t in tasks {
        statuses.push(t.await.expect("task"));
    }
    assert_eq!(statuses.iter().filter(|&&s| s == 409).count(), 3);
    assert_eq!(statuses.iter().filter(|&&s| s == 201).count(), 117);
    assert_eq!(app.stored_count(), 118);
    let results = common::results(&app.client, &app.address).await;
    assert_eq!(results["responses"], 118);
    assert_eq!(app.store().integrity_check().expect("check"), "ok");
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

async fn an_administrator_closes_and_reopens_a_consultation(backend: Backend) {
    let app = spawn_app(backend).await;
    let post = |client: &reqwest::Client, action: &str| {
        client
            .post(format!("{}/api/consultations/{SLUG}/{action}", app.address))
            .send()
    };
    assert_eq!(
        post(&app.anonymous, "close").await.expect("post").status(),
        401
    );
    let staff = common::create_user(&app.db.url, "staff@example.org", "staff");
    assert_eq!(
        post(&common::authed_client(&staff.token), "close")
            .await
            .expect("post")
            .status(),
        403
    );

    let r = post(&app.client, "close").await.expect("post");
    assert_eq!(r.status(), 200);
    assert_eq!(r.json::<Value>().await.expect("json")["open"], false);
    let (status, _) = common::submit(&app.anonymous, &app.address, &valid_answers(), None).await;
    assert_eq!(status, 409, "closed: submissions refused");
    let list = app.get_json("/api/consultations").await;
    assert_eq!(list[0]["open"], false);
    let page = app
        .anonymous
        .get(format!("{}/consultations/{SLUG}", app.address))
        .send()
        .await
        .expect("get")
        .text()
        .await
        .expect("html");
    assert!(page.contains("closed"), "the start page says so");

    let r = post(&app.client, "open").await.expect("post");
    assert_eq!(r.json::<Value>().await.expect("json")["open"], true);
    let (status, _) = common::submit(&app.anonymous, &app.address, &valid_answers(), None).await;
    assert_eq!(status, 201, "reopened");
    let audit = app.store().audit_entries(10).expect("audit");
    let actions: Vec<&str> = audit.iter().map(|a| a.action.as_str()).collect();
    assert_eq!(actions, ["open_consultation", "close_consultation"]);
}

async fn invite_only_consultations_take_one_response_per_invitation(backend: Backend) {
    let dir = tempfile::tempdir().expect("dir");
    let mut def: Value = serde_json::from_str(
        &std::fs::read_to_string(common::repo_path(
            "fixtures/consultations/next-steps-for-system-working.json",
        ))
        .expect("read"),
    )
    .expect("json");
    def["invite_only"] = json!(true);
    std::fs::write(dir.path().join("invite.json"), def.to_string()).expect("write");
    let app = spawn_app_with(backend, dir.path()).await;

    let (status, body) = common::submit(&app.anonymous, &app.address, &valid_answers(), None).await;
    assert_eq!(status, 403, "{body}");
    assert_eq!(body["errors"][0]["field"], "slug");
    let start = app
        .anonymous
        .get(format!("{}/consultations/{SLUG}", app.address))
        .send()
        .await
        .expect("get")
        .text()
        .await
        .expect("html");
    assert!(start.contains("by invitation only") && !start.contains("Start now"));

    let emails = app.db.dir.path().join("emails.txt");
    std::fs::write(&emails, "a@example.org\nnot-an-email\n").expect("write");
    let (ok, _, err) = common::run_cli(&[
        "--database",
        &app.db.url,
        "invitations",
        "create",
        "--consultation",
        SLUG,
        "--emails",
        &emails.to_string_lossy(),
        "--consultations",
        &dir.path().to_string_lossy(),
    ]);
    assert!(!ok && err.contains("line 2"), "{err}");
    std::fs::write(&emails, "a@example.org\nB@example.org\n\na@example.org\n").expect("write");
    let (ok, out, err) = common::run_cli(&[
        "--database",
        &app.db.url,
        "invitations",
        "create",
        "--consultation",
        SLUG,
        "--emails",
        &emails.to_string_lossy(),
        "--consultations",
        &dir.path().to_string_lossy(),
        "--base-url",
        &app.address,
    ]);
    assert!(ok, "{err}");
    assert!(err.contains("skipped a@example.org"), "{err}");
    let links: Vec<&str> = out
        .lines()
        .skip(1)
        .filter_map(|l| l.split(',').nth(1))
        .collect();
    assert_eq!(links.len(), 2, "{out}");
    assert!(out.contains("b@example.org,"));

    let first = app.anonymous.get(links[0]).send().await.expect("get");
    assert_eq!(first.status(), 303);
    let location = first.headers()["location"]
        .to_str()
        .unwrap_or_default()
        .to_owned();
    assert!(
        location.contains("/r/") && location.ends_with("/sections/about"),
        "{location}"
    );
    let again = app.anonymous.get(links[0]).send().await.expect("get");
    assert_eq!(again.status(), 409, "an invitation starts one response");
    let made_up = format!("{}/consultations/{SLUG}/i/{}", app.address, "A".repeat(43));
    assert_eq!(
        app.anonymous
            .get(made_up)
            .send()
            .await
            .expect("get")
            .status(),
        404
    );
    // The draft the invitation started is the member's, behind their link.
    let draft = app
        .anonymous
        .get(format!("{}{location}", app.address))
        .send()
        .await
        .expect("get");
    assert_eq!(draft.status(), 200);
}

on_both_backends!(
    invite_only_consultations_take_one_response_per_invitation,
    an_administrator_closes_and_reopens_a_consultation,
    results_count_every_answer_and_revalidate_by_etag,
    a_valid_submission_is_stored_whole_and_read_back,
    listing_and_definition_endpoints_describe_the_consultation,
    the_openapi_document_lists_the_routes,
    every_kind_of_bad_input_is_refused_and_nothing_is_stored,
    oversized_bodies_get_413_and_unknown_consultations_404,
    a_closed_consultation_refuses_submissions_with_409,
    a_retried_submission_is_stored_once,
    simultaneous_copies_of_one_submission_store_one_response,
    two_hundred_concurrent_submissions_are_all_stored,
    a_refused_submission_does_not_take_its_neighbours_with_it,
    a_bad_definition_stops_the_service_from_starting,
);
