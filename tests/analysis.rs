//! The report's figures from the fixture data, through the CLI import and
//! the HTTP API: headlines, breakdowns, charts and tables.
mod common;

use common::{Backend, SLUG, run_cli, spawn_app};
use serde_json::Value;

async fn get(app: &common::TestApp, path: &str) -> reqwest::Response {
    app.client
        .get(format!("{}{path}", app.address))
        .send()
        .await
        .expect("get")
}

async fn the_reports_headlines_come_out_of_the_api(backend: Backend) {
    let app = common::spawn_app_with_fixture(backend).await;
    let headlines = app
        .get_json(&format!("/api/consultations/{SLUG}/headlines"))
        .await;
    let sentence = |q: &str| {
        headlines
            .as_array()
            .and_then(|hs| hs.iter().find(|h| h["question"] == q))
            .and_then(|h| h["sentence"].as_str())
            .unwrap_or_else(|| panic!("no headline for {q} in {headlines}"))
            .to_owned()
    };
    assert!(sentence("q1").starts_with("8 in 10 respondents agree or partly agree"));
    assert!(sentence("q7").starts_with("8 in 10 respondents support a shared statutory duty"));
    assert!(
        sentence("q8").starts_with("6 in 10 respondents want the foundation trust model tweaked")
    );
    assert!(sentence("q9").starts_with("Almost 7 in 10 respondents"));
    assert!(sentence("q11").starts_with("Exactly three quarters of respondents"));
    assert!(sentence("q11").contains("(189 of 252)"));
    let q10 = sentence("q10");
    assert!(
        q10.contains("not a majority") && q10.contains("Views differ between groups"),
        "{q10}"
    );
}

async fn breakdowns_follow_the_contract(backend: Backend) {
    let app = common::spawn_app_with_fixture(backend).await;
    let b = app
        .get_json(&format!(
            "/api/consultations/{SLUG}/breakdown?question=q11&by=stakeholder_group"
        ))
        .await;
    assert_eq!(b["question"], "q11");
    let groups = b["groups"].as_array().expect("groups");
    let codes: Vec<&str> = groups
        .iter()
        .map(|g| g["code"].as_str().unwrap_or(""))
        .collect();
    assert_eq!(
        codes,
        [
            "acute_trust",
            "mental_health_trust",
            "community_trust",
            "ambulance_trust",
            "ccg",
            "pcn",
            "ics_stp",
            "local_authority",
            "other"
        ]
    );
    let n_sum: u64 = groups.iter().map(|g| g["n"].as_u64().unwrap_or(0)).sum();
    assert_eq!(n_sum, 252);
    assert_eq!(b["total"]["n"], 252);
    assert_eq!(b["total"]["skipped"], 0);
    assert_eq!(b["total"]["counts"]["definitely"], 96);
    assert_eq!(b["total"]["counts"]["probably"], 93);
    assert_eq!(b["total"]["percent"]["probably"], 100.0 * 93.0 / 252.0);
    let ambulance = &groups[3];
    assert_eq!(ambulance["n"], 7);
    assert_eq!(ambulance["small_base"], true);
    let ci = &b["total"]["ci95"]["definitely"];
    assert!(ci["lower"].as_f64() < Some(38.1) && ci["upper"].as_f64() > Some(38.1));
    let combined = &b["combined"][0];
    assert_eq!(combined["code"], "definitely_or_probably");
    assert_eq!(combined["total"]["count"], 189);
    assert_eq!(combined["total"]["percent"], 75.0);
    assert!(b["test"]["p_value"].as_f64().is_some());
    assert_eq!(b["test"]["df"], 32, "9 groups × 5 options: (9 − 1)(5 − 1)");

    // Filters: CCGs only, by region.
    let ccg = app
        .get_json(&format!(
            "/api/consultations/{SLUG}/breakdown?question=q10&by=region&filter=stakeholder_group:ccg"
        ))
        .await;
    assert_eq!(ccg["total"]["n"], 50);
    // Multiple choice: no test; n are those who chose anything.
    let q5b = app
        .get_json(&format!("/api/consultations/{SLUG}/breakdown?question=q5b"))
        .await;
    assert_eq!(q5b["test"], Value::Null);
    let n = q5b["total"]["n"].as_u64().unwrap_or(0);
    assert_eq!(n + q5b["total"]["skipped"].as_u64().unwrap_or(0), 252);

    // The whole survey ran in August and September 2020.
    let august = app
        .get_json(&format!(
            "/api/consultations/{SLUG}/breakdown?question=q1&from=2020-08-01&to=2020-08-31"
        ))
        .await;
    let september = app
        .get_json(&format!(
            "/api/consultations/{SLUG}/breakdown?question=q1&from=2020-09-01&to=2020-09-30"
        ))
        .await;
    let total = |v: &Value| v["total"]["n"].as_u64().unwrap_or(0);
    assert_eq!(total(&august) + total(&september), 252);
    assert!(total(&august) > 0 && total(&september) > 0);
}

async fn bad_breakdown_requests_name_their_field(backend: Backend) {
    let app = spawn_app(backend).await;
    for (query, field) in [
        ("question=email", "question"),
        ("question=nope", "question"),
        ("question=q1&by=q5b", "by"),
        ("question=q1&filter=region:mars", "filter"),
        ("question=q1&from=yesterday", "from"),
        ("question=q1&colour=red", "colour"),
        ("", "question"),
    ] {
        let r = get(
            &app,
            &format!("/api/consultations/{SLUG}/breakdown?{query}"),
        )
        .await;
        assert_eq!(r.status(), 422, "{query}");
        let body: Value = r.json().await.expect("json");
        assert!(
            body["errors"]
                .as_array()
                .is_some_and(|e| e.iter().any(|x| x["field"] == field)),
            "{query}: {body}"
        );
    }
    let r = get(&app, "/api/consultations/nope/breakdown?question=q1").await;
    assert_eq!(r.status(), 404);
}

async fn charts_and_tables_download(backend: Backend) {
    let app = common::spawn_app_with_fixture(backend).await;
    let svg = get(&app, &format!("/api/consultations/{SLUG}/charts/q11.svg")).await;
    assert_eq!(svg.status(), 200);
    assert!(
        svg.headers()["content-type"]
            .to_str()
            .unwrap_or("")
            .starts_with("image/svg+xml")
    );
    let text = svg.text().await.expect("svg");
    assert!(text.contains("<title id=\"chart-q11-title\">Some people suggest"));
    assert!(text.contains("n = 252"));
    let png = get(
        &app,
        &format!("/api/consultations/{SLUG}/charts/q11.png?by=region"),
    )
    .await;
    assert_eq!(png.headers()["content-type"], "image/png");
    assert_eq!(&png.bytes().await.expect("png")[1..4], b"PNG");
    let multiple = get(&app, &format!("/api/consultations/{SLUG}/charts/q5b.svg")).await;
    assert_eq!(multiple.status(), 200);
    let r = get(
        &app,
        &format!("/api/consultations/{SLUG}/charts/q5b.svg?kind=stacked"),
    )
    .await;
    assert_eq!(r.status(), 422);
    let r = get(&app, &format!("/api/consultations/{SLUG}/charts/q1.gif")).await;
    assert_eq!(r.status(), 404);
    let r = get(
        &app,
        &format!("/api/consultations/{SLUG}/charts/q1.svg?kind=pie"),
    )
    .await;
    assert_eq!(r.status(), 422);

    let csv = get(
        &app,
        &format!("/api/consultations/{SLUG}/breakdown.csv?question=q11"),
    )
    .await;
    assert!(
        csv.headers()["content-type"]
            .to_str()
            .unwrap_or("")
            .starts_with("text/csv")
    );
    let table = csv.text().await.expect("csv");
    let mut lines = table.lines();
    assert!(
        lines.next().unwrap_or("").starts_with(
            "group_code,group,n,skipped,small_base,definitely_count,definitely_percent"
        )
    );
    assert!(
        lines
            .next()
            .unwrap_or("")
            .starts_with("_all,All respondents,252,0,false,96,38.1,")
    );
    assert_eq!(
        table.lines().count(),
        11,
        "header, all respondents, 9 groups"
    );
}

async fn imports_are_all_or_nothing(backend: Backend) {
    let app = spawn_app(backend).await;
    let bad = app.db.dir.path().join("bad.csv");
    std::fs::write(
        &bad,
        "stakeholder_group,region,role,q1,q5b__quality\n\
         ccg,london,chair,agree,1\n\
         ccg,mars,chair,maybe,1\n\
         pcn,london,chair,agree,2\n",
    )
    .expect("write");
    let (ok, _, err) = run_cli(&[
        "--database",
        &app.db.url,
        "responses",
        "import",
        &bad.to_string_lossy(),
        "--consultation",
        SLUG,
    ]);
    assert!(!ok);
    assert!(
        err.contains("2 row(s) have problems; nothing was imported"),
        "{err}"
    );
    assert!(err.contains("row 2, region:"), "{err}");
    assert!(err.contains("row 2, q1:"), "{err}");
    assert!(
        err.contains("row 3, q5b__quality: expected 0 or 1"),
        "{err}"
    );
    assert_eq!(app.stored_count(), 0);

    let good = app.db.dir.path().join("good.csv");
    std::fs::write(
        &good,
        "submission_id,submitted_at,stakeholder_group,region,role,q1,q5b__quality,q5b__finances,q9_areas\n\
         0192f0a4-8f7e-7cc1-9a57-3f7bb5a0e001,2020-08-04T10:00:00Z,ccg,london,chair,agree,1,0,\n\
         ,,pcn,london,chair,disagree,0,1,\n",
    )
    .expect("write");
    let (ok, out, err) = run_cli(&[
        "--database",
        &app.db.url,
        "responses",
        "import",
        &good.to_string_lossy(),
        "--consultation",
        SLUG,
    ]);
    assert!(ok, "{out}{err}");
    assert_eq!(app.stored_count(), 2);
    let b = app
        .get_json(&format!(
            "/api/consultations/{SLUG}/breakdown?question=q5b&to=2020-08-04"
        ))
        .await;
    assert_eq!(b["total"]["n"], 1, "the imported submission time is kept");
    assert_eq!(b["total"]["counts"]["quality"], 1);
}

async fn the_report_command_writes_every_question(backend: Backend) {
    let app = common::spawn_app_with_fixture(backend).await;
    let out = app.db.dir.path().join("report");
    let out_s = out.to_string_lossy().into_owned();
    let (ok, stdout, err) = run_cli(&[
        "--database",
        &app.db.url,
        "report",
        "--consultation",
        SLUG,
        "--out",
        &out_s,
    ]);
    assert!(ok, "{stdout}{err}");
    assert!(
        stdout.contains("wrote 40 files for 252 responses"),
        "{stdout}"
    );
    // 13 closed questions (the respondent's own three are not reported).
    for q in [
        "q1", "q2", "q4", "q5b", "q6", "q7", "q8", "q9", "q9_areas", "q10", "q11", "q11_who", "q13",
    ] {
        for ext in ["csv", "svg", "png"] {
            assert!(out.join(format!("{q}.{ext}")).exists(), "{q}.{ext}");
        }
    }
    let html = std::fs::read_to_string(out.join("index.html")).expect("index");
    assert!(html.contains("Exactly three quarters of respondents say"));
    assert_eq!(html.matches("<svg").count(), 13, "charts inline");
    assert!(html.contains("id=\"chart-q11-title\""));
    assert!(!html.contains("<link"), "self-contained");
    // Free text not coded yet: its answers counted in the fixture, no table.
    for (q, n) in [("q1_why", 101), ("q3", 180), ("q12", 125), ("q13_why", 134)] {
        let part = html
            .split(&format!("id=\"{q}\""))
            .nth(1)
            .unwrap_or_default();
        let part = part.split("<h2").next().unwrap_or_default();
        assert!(
            part.contains(&format!("{n} answered; 0 coded, {n} not coded yet.")),
            "{q}"
        );
        assert!(
            part.contains(&format!("No themes yet: {n} answers to read.")),
            "{q}"
        );
    }
    let (ok, _, err) = run_cli(&[
        "--database",
        &app.db.url,
        "report",
        "--consultation",
        SLUG,
        "--out",
        &out_s,
        "--by",
        "q5b",
    ]);
    assert!(!ok);
    assert!(err.contains("cannot break down by 'q5b'"), "{err}");
}

/// A snapshot that was slow to build keeps answering, under its own data
/// version, while its successor is built in the background; then the new
/// one answers. (Here every build counts as slow.)
async fn a_slow_snapshot_answers_while_it_is_refreshed(backend: Backend) {
    let app = common::spawn_app_with_fixture(backend).await;
    let store = app.store();
    let catalogue =
        consult::catalogue::Catalogue::load(&common::repo_path("fixtures/consultations"), &store)
            .expect("catalogue");
    let loaded = catalogue.get(SLUG).expect("demo");
    let mut cache = consult::analysis::ResultsCache::default();
    cache.background_after = std::time::Duration::ZERO;
    let snapshot = || {
        cache
            .snapshot(&store, loaded.stored, &loaded.definition)
            .expect("snapshot")
    };
    let first = snapshot();
    assert_eq!(first.tally.responses, 252);
    let (status, _) =
        common::submit(&app.client, &app.address, &common::varied_answers(0), None).await;
    assert_eq!(status, 201);
    let stale = snapshot();
    assert_eq!(stale.data_version, first.data_version);
    assert_eq!(stale.tally.responses, 252);
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(30);
    let fresh = loop {
        let s = snapshot();
        if s.data_version > first.data_version || std::time::Instant::now() > deadline {
            break s;
        }
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    };
    assert_eq!(fresh.tally.responses, 253);
    assert_eq!(fresh.frame.height(), 253);
}

on_both_backends!(
    the_report_command_writes_every_question,
    the_reports_headlines_come_out_of_the_api,
    breakdowns_follow_the_contract,
    bad_breakdown_requests_name_their_field,
    charts_and_tables_download,
    imports_are_all_or_nothing,
    a_slow_snapshot_answers_while_it_is_refreshed,
);
