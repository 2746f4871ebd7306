//! Free-text answers read, coded and counted through the API, on both
//! backends: the codebook, codings with their history, quotes, counts by
//! group against values worked by hand, and every refusal.
mod common;
use common::coding::*;
use common::*;
use serde_json::{Value, json};

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

on_both_backends!(
    read_code_and_count,
    merging_and_quotes,
    an_edited_answer_goes_back_to_not_coded,
);
