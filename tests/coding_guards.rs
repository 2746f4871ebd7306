//! Coding refused, raced and withdrawn, on both backends; the demo
//! codebook loaded from the command line.
mod common;
use common::coding::*;
use common::*;
use serde_json::{Value, json};

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

async fn the_demo_codebook_loads_and_codes_by_its_rules(backend: Backend) {
    let app = spawn_app_with_fixture(backend).await;
    let file = repo_path("fixtures/codebooks/next-steps-for-system-working.json");
    let file = file.to_string_lossy();
    let args = [
        "--database",
        &app.db.url,
        "codebook",
        "load",
        &file,
        "--code",
        "0.5",
    ];
    let (ok, out, err) = run_cli(&args);
    assert!(ok, "{out}{err}");
    assert!(out.contains("q1_why: 6 theme(s) added"), "{out}");
    let (_, themes) = send(app.client.get(url(&app, "q1_why/themes"))).await;
    let first = &themes["themes"][0];
    assert_eq!(
        first["label"], "Allocation of finance and resources",
        "{themes}"
    );
    let (_, all) = send(app.client.get(url(&app, "q1_why/answers?per_page=500"))).await;
    let (_, open) = send(app.client.get(url(&app, "q1_why/answers?uncoded=true"))).await;
    let total = all["total"].as_u64().unwrap_or(0);
    let uncoded = open["total"].as_u64().unwrap_or(0);
    assert!(total > 0);
    assert_eq!(
        uncoded,
        total - (total as f64 * 0.5).round() as u64,
        "{total}"
    );
    let coded = all["answers"].as_array().cloned().unwrap_or_default();
    let by_rule = coded
        .iter()
        .find(|a| a["coded"] == true)
        .expect("a coded answer");
    assert_eq!(by_rule["themes"][0]["assigned_by"], "machine");
    // Loading again adds nothing and never recodes.
    let (ok, out, _) = run_cli(&args);
    assert!(
        ok && out.contains("q1_why: 0 theme(s) added, 0 answer(s) coded"),
        "{out}"
    );
    let (ok, _, err) = run_cli(&[
        "--database",
        &app.db.url,
        "codebook",
        "load",
        &file,
        "--code",
        "2",
    ]);
    assert!(
        !ok && err.contains("--code takes a share from 0 to 1"),
        "{err}"
    );
}

on_both_backends!(
    refusals_name_their_field,
    codings_at_once_keep_one_current,
    withdrawal_takes_codings_and_quotes,
    the_demo_codebook_loads_and_codes_by_its_rules,
);
