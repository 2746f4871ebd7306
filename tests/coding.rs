//! Free-text answers read, coded and counted through the API, on both
//! backends: the codebook, codings with their history, quotes, counts by
//! group against values worked by hand, and every refusal.
mod common;
use common::*;
use serde_json::{Value, json};

fn url(app: &TestApp, rest: &str) -> String {
    format!("{}/api/consultations/{SLUG}/questions/{rest}", app.address)
}

async fn send(req: reqwest::RequestBuilder) -> (u16, Value) {
    let r = req.send().await.expect("request sent");
    let status = r.status().as_u16();
    let text = r.text().await.unwrap_or_default();
    (status, serde_json::from_str(&text).unwrap_or(Value::Null))
}

async fn theme(app: &TestApp, q: &str, label: &str) -> u64 {
    let (status, body) = send(
        app.client
            .post(url(app, &format!("{q}/themes")))
            .json(&json!({ "label": label, "description": format!("{label}, in any words") })),
    )
    .await;
    assert_eq!(status, 201, "{body}");
    body["id"].as_u64().expect("an id")
}

async fn code(app: &TestApp, q: &str, response: &str, themes: &[u64]) -> (u16, Value) {
    send(
        app.client
            .put(url(app, &format!("{q}/answers/{response}/themes")))
            .json(&json!({ "themes": themes })),
    )
    .await
}

/// Six responses: groups acute, ccg, pcn, acute, ccg, pcn; the fifth
/// leaves q3 blank (spaces only), the sixth leaves it out. Returns the ids.
async fn six(app: &TestApp) -> Vec<String> {
    let mut ids = Vec::new();
    for i in 0..6 {
        let mut a = varied_answers(i);
        match i {
            4 => a["q3"] = json!("   "),
            5 => {
                a.as_object_mut().map(|m| m.remove("q3"));
            }
            _ => a["q3"] = json!(format!("Answer {i}: finance and workforce.")),
        }
        let (status, body) = submit(&app.client, &app.address, &a, None).await;
        assert_eq!(status, 201, "{body}");
        ids.push(body["id"].as_str().expect("id").to_owned());
    }
    ids
}

fn group<'a>(b: &'a Value, code: &str) -> &'a Value {
    b["groups"]
        .as_array()
        .and_then(|g| g.iter().find(|r| r["code"] == code))
        .unwrap_or_else(|| panic!("no group {code} in {b}"))
}

async fn read_code_and_count(backend: Backend) {
    let app = spawn_app(backend).await;
    let ids = six(&app).await;
    let finance = theme(&app, "q3", "Finance").await;
    let workforce = theme(&app, "q3", "Workforce").await;
    assert_eq!((finance, workforce), (1, 2));

    let (status, page) = send(app.client.get(url(&app, "q3/answers"))).await;
    assert_eq!(status, 200, "{page}");
    assert_eq!(
        page["total"], 4,
        "blank and missing answers are not answers: {page}"
    );
    assert_eq!(page["page"], 1);
    assert_eq!(page["per_page"], 50);
    let first = &page["answers"][0];
    assert_eq!(first["response"], ids[0].as_str(), "oldest first");
    assert_eq!(first["text"], "Answer 0: finance and workforce.");
    assert_eq!(first["answers"]["stakeholder_group"], "acute_trust");
    assert_eq!(first["answers"]["q2"], "health_public_health_care");
    assert_eq!(first["coded"], false);

    // 0 acute [finance]; 1 ccg [finance, workforce]; 2 pcn [] (read, none).
    assert_eq!(code(&app, "q3", &ids[0], &[finance]).await.0, 200);
    let (status, body) = code(&app, "q3", &ids[1], &[workforce, finance]).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["themes"][0]["id"], finance);
    assert_eq!(body["themes"][0]["assigned_by"], "person");
    assert_eq!(body["themes"][0]["confidence"], Value::Null);
    assert_eq!(code(&app, "q3", &ids[2], &[]).await.0, 200);

    let (_, uncoded) = send(app.client.get(url(&app, "q3/answers?uncoded=true"))).await;
    assert_eq!(uncoded["total"], 1, "{uncoded}");
    assert_eq!(uncoded["answers"][0]["response"], ids[3].as_str());
    let (_, carrying) = send(
        app.client
            .get(url(&app, &format!("q3/answers?theme={finance}"))),
    )
    .await;
    assert_eq!(carrying["total"], 2, "{carrying}");
    let (_, ccg) = send(
        app.client
            .get(url(&app, "q3/answers?filter=stakeholder_group:ccg")),
    )
    .await;
    assert_eq!(ccg["total"], 1, "{ccg}");
    assert_eq!(
        ccg["answers"][0]["themes"].as_array().map(Vec::len),
        Some(2)
    );
    let (_, found) = send(
        app.client
            .get(url(&app, "q3/answers?search=ANSWER%203%3A%20finance")),
    )
    .await;
    assert_eq!(found["total"], 1, "{found}");
    let (_, paged) = send(app.client.get(url(&app, "q3/answers?per_page=3&page=2"))).await;
    assert_eq!(
        (
            paged["total"].as_u64(),
            paged["answers"].as_array().map(Vec::len)
        ),
        (Some(4), Some(1))
    );

    let (_, themes) = send(app.client.get(url(&app, "q3/themes"))).await;
    assert_eq!(themes["themes"][0]["count"], 2, "{themes}");
    assert_eq!(themes["themes"][1]["count"], 1, "{themes}");

    // Coded: acute 1 (finance), ccg 1 (both), pcn 1 (none); acute's
    // second answer is not coded; ccg's second is blank: skipped.
    let b = app
        .get_json(&format!(
            "/api/consultations/{SLUG}/breakdown?question=q3&by=stakeholder_group"
        ))
        .await;
    assert_eq!(b["kind"], "free_text", "{b}");
    assert_eq!(b["options"][0]["label"], "Finance");
    assert_eq!(b["options"][0]["code"], "1");
    let acute = group(&b, "acute_trust");
    assert_eq!(
        (
            acute["n"].as_u64(),
            acute["uncoded"].as_u64(),
            acute["skipped"].as_u64()
        ),
        (Some(1), Some(1), Some(0))
    );
    assert_eq!(acute["counts"]["1"], 1);
    let ccg = group(&b, "ccg");
    assert_eq!(
        (
            ccg["n"].as_u64(),
            ccg["uncoded"].as_u64(),
            ccg["skipped"].as_u64()
        ),
        (Some(1), Some(0), Some(1))
    );
    assert_eq!(
        (ccg["counts"]["1"].as_u64(), ccg["counts"]["2"].as_u64()),
        (Some(1), Some(1))
    );
    let pcn = group(&b, "pcn");
    assert_eq!(
        (
            pcn["n"].as_u64(),
            pcn["counts"]["1"].as_u64(),
            pcn["skipped"].as_u64()
        ),
        (Some(1), Some(0), Some(1))
    );
    assert_eq!(
        (b["total"]["n"].as_u64(), b["total"]["uncoded"].as_u64()),
        (Some(3), Some(1))
    );
    assert_eq!(b["total"]["counts"]["1"], 2);
    let pct = b["total"]["percent"]["1"].as_f64().expect("a percentage");
    assert!((pct - 200.0 / 3.0).abs() < 1e-9, "{pct}");

    let csv = app
        .client
        .get(format!(
            "{}/api/consultations/{SLUG}/breakdown.csv?question=q3",
            app.address
        ))
        .send()
        .await
        .expect("csv")
        .text()
        .await
        .unwrap_or_default();
    let header = csv.lines().next().unwrap_or_default();
    assert!(
        header.starts_with("group_code,group,n,skipped,uncoded,small_base,1_count"),
        "{header}"
    );
    assert!(
        csv.lines()
            .nth(1)
            .unwrap_or_default()
            .starts_with("_all,All respondents,3,2,1,true,2,"),
        "{csv}"
    );

    // Renaming keeps codings; deleting leaves every answer, in history.
    let (status, renamed) = send(
        app.client
            .patch(url(&app, &format!("q3/themes/{workforce}")))
            .json(&json!({ "label": "Workforce and skills" })),
    )
    .await;
    assert_eq!(
        (status, renamed["label"].as_str()),
        (200, Some("Workforce and skills"))
    );
    let r = app
        .client
        .delete(url(&app, &format!("q3/themes/{workforce}")))
        .send()
        .await
        .expect("delete");
    assert_eq!(r.status(), 204);
    let (_, page) = send(
        app.client
            .get(url(&app, "q3/answers?filter=stakeholder_group:ccg")),
    )
    .await;
    assert_eq!(
        page["answers"][0]["themes"],
        json!([{"id": 1, "assigned_by": "person", "confidence": null}])
    );
    let (_, history) = send(
        app.client
            .get(url(&app, &format!("q3/answers/{}/history", ids[1]))),
    )
    .await;
    let entries = history["history"].as_array().cloned().unwrap_or_default();
    assert_eq!(entries.len(), 2, "{history}");
    assert_eq!(entries[0]["reason"], "theme_deleted");
    assert_eq!(entries[0]["current"], true);
    assert_eq!(entries[1]["coded_by"], "admin@example.org");
    assert_eq!(entries[1]["ended_because"], "theme_deleted");
    assert_eq!(entries[1]["themes"].as_array().map(Vec::len), Some(2));
    // A new theme never takes a deleted one's id.
    assert_eq!(theme(&app, "q3", "Workforce").await, 3);
}

async fn merging_and_quotes(backend: Backend) {
    let app = spawn_app(backend).await;
    let ids = six(&app).await;
    let a = theme(&app, "q3", "Money").await;
    let b = theme(&app, "q3", "Finance").await;
    code(&app, "q3", &ids[0], &[a]).await;
    code(&app, "q3", &ids[1], &[a, b]).await;
    let quote = url(&app, &format!("q3/answers/{}/quotes/{a}", ids[0]));
    assert_eq!(
        app.client.put(&quote).send().await.expect("quote").status(),
        204
    );
    let (status, merged) = send(
        app.client
            .post(url(&app, &format!("q3/themes/{a}/merge")))
            .json(&json!({ "into": b })),
    )
    .await;
    assert_eq!(
        (status, merged["recoded"].as_u64()),
        (200, Some(2)),
        "{merged}"
    );
    let (_, themes) = send(app.client.get(url(&app, "q3/themes"))).await;
    assert_eq!(
        themes["themes"],
        json!([{"id": b, "label": "Finance", "description": "Finance, in any words", "count": 2}])
    );
    let store = app.store();
    let id = store
        .load_response(ids[0].parse().expect("uuid"))
        .expect("load")
        .expect("there")
        .consultation_id;
    let quotes = store.quotes(id).expect("quotes");
    assert_eq!(quotes, vec![(ids[0].clone(), "q3".to_owned(), b as i32)]);
    let (status, body) = send(
        app.client
            .post(url(&app, &format!("q3/themes/{b}/merge")))
            .json(&json!({ "into": b })),
    )
    .await;
    assert_eq!(
        (status, body["errors"][0]["field"].as_str()),
        (422, Some("into"))
    );
}

async fn an_edited_answer_goes_back_to_not_coded(backend: Backend) {
    let app = spawn_app(backend).await;
    let ids = six(&app).await;
    let t = theme(&app, "q3", "Finance").await;
    code(&app, "q3", &ids[0], &[t]).await;
    code(&app, "q3", &ids[0].clone(), &[t]).await;
    code(&app, "q1_why", &ids[1], &[]).await;
    let store = app.store();
    let c = demo_definition();
    let stored = store
        .load_response(ids[0].parse().expect("uuid"))
        .expect("load")
        .expect("there");
    let mut answers = stored.answers(&c);
    // A closed answer changed: the coding of q3 stays.
    answers.insert(
        consult::domain::QuestionId::parse("q4").expect("id"),
        consult::domain::AnswerValue::Choice(
            consult::domain::OptionCode::parse("dont_know").expect("code"),
        ),
    );
    store
        .add_version(
            stored.id,
            stored.definition_version,
            consult::storage::Channel::Web,
            &answers,
        )
        .expect("edit");
    let (_, page) = send(app.client.get(url(&app, "q3/answers?uncoded=true"))).await;
    assert_eq!(page["total"], 3, "{page}");
    answers.insert(
        consult::domain::QuestionId::parse("q3").expect("id"),
        consult::domain::AnswerValue::Text("On reflection: workforce.".into()),
    );
    store
        .add_version(
            stored.id,
            stored.definition_version,
            consult::storage::Channel::Web,
            &answers,
        )
        .expect("edit");
    let (_, page) = send(app.client.get(url(&app, "q3/answers?uncoded=true"))).await;
    assert_eq!(page["total"], 4, "{page}");
    assert_eq!(page["answers"][0]["text"], "On reflection: workforce.");
    let (_, history) = send(
        app.client
            .get(url(&app, &format!("q3/answers/{}/history", ids[0]))),
    )
    .await;
    let entries = history["history"].as_array().cloned().unwrap_or_default();
    assert_eq!(entries.len(), 2, "{history}");
    assert!(entries.iter().all(|e| e["current"] == false));
    assert_eq!(entries[0]["ended_because"], "answer_changed");
    assert_eq!(entries[1]["ended_because"], "recoded");
}

async fn refusals_name_their_field(backend: Backend) {
    let app = spawn_app(backend).await;
    let ids = six(&app).await;
    let t = theme(&app, "q3", "Finance").await;
    let cases: Vec<(reqwest::RequestBuilder, u16, &str)> = vec![
        (app.client.get(url(&app, "nope/answers")), 404, "not_found"),
        (app.client.get(url(&app, "q1/answers")), 422, "question"),
        (app.client.get(url(&app, "email/themes")), 422, "question"),
        (
            app.client.get(url(&app, "q3/answers?per_page=501")),
            422,
            "per_page",
        ),
        (app.client.get(url(&app, "q3/answers?page=0")), 422, "page"),
        (
            app.client.get(url(&app, "q3/answers?filter=region:mars")),
            422,
            "filter",
        ),
        (
            app.client.get(url(&app, "q3/answers?uncoded=yes")),
            422,
            "uncoded",
        ),
        (
            app.client.get(url(&app, "q3/answers?theme=x")),
            422,
            "theme",
        ),
        (
            app.client.get(url(&app, "q3/answers?sort=new")),
            422,
            "sort",
        ),
        (
            app.client
                .post(url(&app, "q3/themes"))
                .json(&json!({"label": "finance"})),
            409,
            "conflict",
        ),
        (
            app.client
                .post(url(&app, "q3/themes"))
                .json(&json!({"label": ""})),
            422,
            "label",
        ),
        (
            app.client
                .post(url(&app, "q3/themes"))
                .json(&json!({"label": "x".repeat(81)})),
            422,
            "label",
        ),
        (
            app.client
                .post(url(&app, "q3/themes"))
                .json(&json!({"label": "A", "colour": "red"})),
            422,
            "colour",
        ),
        (
            app.client
                .post(url(&app, "q3/themes"))
                .body("{\"label\": \"A\"}"),
            415,
            "content-type",
        ),
        (
            app.client
                .post(url(&app, "q3/themes"))
                .header("content-type", "application/json")
                .body("{"),
            400,
            "body",
        ),
        (
            app.client
                .patch(url(&app, "q3/themes/9"))
                .json(&json!({"label": "B"})),
            404,
            "not_found",
        ),
        (
            app.client.delete(url(&app, "q3/themes/0")),
            404,
            "not_found",
        ),
        (
            app.client
                .put(url(&app, &format!("q3/answers/{}/themes", ids[0])))
                .json(&json!({"themes": [9]})),
            422,
            "themes",
        ),
        (
            app.client
                .put(url(&app, &format!("q3/answers/{}/themes", ids[0])))
                .json(&json!({"themes": [t, t]})),
            422,
            "themes",
        ),
        (
            app.client
                .put(url(&app, &format!("q3/answers/{}/themes", ids[0])))
                .json(&json!({})),
            422,
            "themes",
        ),
        (
            app.client
                .put(url(&app, &format!("q3/answers/{}/themes", ids[4])))
                .json(&json!({"themes": []})),
            404,
            "not_found",
        ),
        (
            app.client
                .put(url(&app, "q3/answers/not-a-uuid/themes"))
                .json(&json!({"themes": []})),
            404,
            "not_found",
        ),
    ];
    for (req, want, field) in cases {
        let (status, body) = send(req).await;
        assert_eq!(status, want, "{field}: {body}");
        if want != 404 && want != 409 {
            assert_eq!(body["errors"][0]["field"], field, "{body}");
        }
    }
    let researcher = create_user(&app.db.url, "r@example.org", "researcher");
    let r = authed_client(&researcher.token)
        .get(url(&app, "q3/answers"))
        .send()
        .await
        .expect("get");
    assert_eq!(r.status(), 403);
    let r = app
        .anonymous
        .get(url(&app, "q3/themes"))
        .send()
        .await
        .expect("get");
    assert_eq!(r.status(), 401);
    assert!(
        r.headers()
            .get("www-authenticate")
            .is_some_and(|v| v.to_str().unwrap_or("").starts_with("Bearer"))
    );
    // Nothing refused was stored.
    let (_, themes) = send(app.client.get(url(&app, "q3/themes"))).await;
    assert_eq!(themes["themes"].as_array().map(Vec::len), Some(1));
}

async fn codings_at_once_keep_one_current(backend: Backend) {
    let app = spawn_app(backend).await;
    let ids = six(&app).await;
    let a = theme(&app, "q3", "Finance").await;
    let b = theme(&app, "q3", "Workforce").await;
    let tasks: Vec<_> = (0..12)
        .map(|i| {
            let (client, u) = (
                app.client.clone(),
                url(&app, &format!("q3/answers/{}/themes", ids[0])),
            );
            tokio::spawn(async move {
                let themes = if i % 2 == 0 { vec![a] } else { vec![b] };
                client
                    .put(u)
                    .json(&json!({ "themes": themes }))
                    .send()
                    .await
                    .map(|r| r.status().as_u16())
            })
        })
        .collect();
    for t in tasks {
        assert_eq!(t.await.expect("task").expect("sent"), 200);
    }
    let (_, history) = send(
        app.client
            .get(url(&app, &format!("q3/answers/{}/history", ids[0]))),
    )
    .await;
    let entries = history["history"].as_array().cloned().unwrap_or_default();
    assert_eq!(entries.len(), 12, "{history}");
    assert_eq!(entries.iter().filter(|e| e["current"] == true).count(), 1);
    // The same new label at once: one is created, the rest refused.
    let tasks: Vec<_> = (0..8)
        .map(|_| {
            let (client, u) = (app.client.clone(), url(&app, "q3/themes"));
            tokio::spawn(async move {
                client
                    .post(u)
                    .json(&json!({ "label": "Prevention" }))
                    .send()
                    .await
                    .map(|r| r.status().as_u16())
            })
        })
        .collect();
    let mut statuses = Vec::new();
    for t in tasks {
        statuses.push(t.await.expect("task").expect("sent"));
    }
    statuses.sort();
    assert_eq!(statuses, [201, 409, 409, 409, 409, 409, 409, 409]);
    // Different labels at once: each its own id.
    let tasks: Vec<_> = (0..6)
        .map(|i| {
            let (client, u) = (app.client.clone(), url(&app, "q5a/themes"));
            tokio::spawn(async move {
                let r = client
                    .post(u)
                    .json(&json!({ "label": format!("Theme {i}") }))
                    .send()
                    .await
                    .expect("sent");
                r.json::<Value>().await.expect("json")["id"].as_u64()
            })
        })
        .collect();
    let mut got = Vec::new();
    for t in tasks {
        got.push(t.await.expect("task").expect("an id"));
    }
    got.sort();
    assert_eq!(got, [1, 2, 3, 4, 5, 6]);
}

async fn withdrawal_takes_codings_and_quotes(backend: Backend) {
    let app = spawn_app(backend).await;
    let answers = varied_answers(0);
    let (_, body) = submit(&app.client, &app.address, &answers, None).await;
    let (id, receipt) = (
        body["id"].as_str().expect("id").to_owned(),
        body["receipt"].as_str().expect("receipt").to_owned(),
    );
    let t = theme(&app, "q3", "Finance").await;
    code(&app, "q3", &id, &[t]).await;
    code(&app, "q3", &id, &[]).await;
    app.client
        .put(url(&app, &format!("q3/answers/{id}/quotes/{t}")))
        .send()
        .await
        .expect("quote");
    let store = app.store();
    assert!(
        store
            .withdraw(id.parse().expect("uuid"), &receipt)
            .expect("withdraw")
    );
    let counts = store.table_counts().expect("counts");
    let n = |t: &str| counts.iter().find(|(name, _)| *name == t).map(|(_, n)| *n);
    assert_eq!(
        (n("codings"), n("coding_themes"), n("quotes"), n("themes")),
        (Some(0), Some(0), Some(0), Some(1))
    );
    let (_, themes) = send(app.client.get(url(&app, "q3/themes"))).await;
    assert_eq!(themes["themes"][0]["count"], 0);
}

on_both_backends!(
    read_code_and_count,
    merging_and_quotes,
    an_edited_answer_goes_back_to_not_coded,
    refusals_name_their_field,
    codings_at_once_keep_one_current,
    withdrawal_takes_codings_and_quotes,
);
