//! Input that is well formed but cannot be right: submission times
//! centuries away, fields nobody reads, NUL characters. Each is refused
//! where it comes in, naming where it is, on both backends.
mod common;

use common::{Backend, FIXTURE, SLUG, csrf, repo_path, run_cli, spawn_app, valid_answers};
use consult::catalogue::Catalogue;
use consult::storage::NewSubmission;
use serde_json::{Value, json};

fn import(app: &common::TestApp, file: &std::path::Path) -> (bool, String) {
    let (ok, out, err) = run_cli(&[
        "--database",
        &app.db.url,
        "responses",
        "import",
        &file.to_string_lossy(),
        "--consultation",
        SLUG,
    ]);
    (ok, format!("{out}{err}"))
}

async fn imports_refuse_implausible_times_unknown_fields_and_repeated_columns(backend: Backend) {
    let app = spawn_app(backend).await;
    let row = |extra: Value| {
        let mut r = json!({"answers": valid_answers()});
        if let (Some(r), Some(extra)) = (r.as_object_mut(), extra.as_object()) {
            r.extend(extra.clone());
        }
        r
    };
    let file = app.db.dir.path().join("bad.json");
    let rows = json!([
        row(json!({"submitted_at": "2020-08-03T08:53:20Z"})),
        row(json!({"submitted_at": "0000-01-01T00:00:00Z"})),
        row(json!({"submitted_at": "2999-01-01T00:00:00Z"})),
        row(json!({"receipt": "ABCD-EFGH-JKLM"})),
        row(json!({"submitted_at": 1_596_444_800})),
    ]);
    std::fs::write(&file, rows.to_string()).expect("write");
    let (ok, out) = import(&app, &file);
    assert!(!ok, "{out}");
    for expected in [
        "4 row(s) have problems; nothing was imported",
        "row 2, submitted_at: 0000-01-01T00:00:00Z is before 2000-01-01",
        "row 3, submitted_at: 2999-01-01T00:00:00Z is in the future",
        "row 4, receipt: unknown field",
        "row 5, submitted_at: expected a string",
    ] {
        assert!(out.contains(expected), "{expected}\n{out}");
    }
    assert!(!out.contains("row 1,"), "{out}");

    let file = app.db.dir.path().join("twice.csv");
    std::fs::write(
        &file,
        "stakeholder_group,region,role,q1,q1\nccg,london,chair,agree,disagree\n",
    )
    .expect("write");
    let (ok, out) = import(&app, &file);
    assert!(!ok, "{out}");
    assert!(
        out.contains("CSV header (line 1): column 'q1' appears twice (columns 4 and 5)"),
        "{out}"
    );
    assert_eq!(app.stored_count(), 0);

    // Historical data, such as the 2020 demo responses, still loads.
    let (ok, out) = import(&app, &repo_path(FIXTURE));
    assert!(ok, "{out}");
    assert_eq!(app.stored_count(), 252);
}

async fn the_dashboard_lists_at_most_two_years_of_weeks(backend: Backend) {
    let app = spawn_app(backend).await;
    // Stored as an earlier release let them in: one in year 1, one in 2999.
    let store = app.store();
    let loaded = Catalogue::load(&repo_path("fixtures/consultations"), &store)
        .expect("catalogue")
        .get(SLUG)
        .expect("demo");
    let answers = consult::domain::answers::validate_response(
        &loaded.definition,
        valid_answers().as_object().expect("object"),
    )
    .expect("valid");
    let at = |y, m, d| {
        chrono::NaiveDate::from_ymd_opt(y, m, d)
            .and_then(|d| d.and_hms_opt(12, 0, 0))
            .expect("date")
    };
    let times = [at(1, 1, 1), at(2020, 8, 3), at(2020, 8, 4), at(2999, 1, 1)];
    let subs: Vec<NewSubmission<'_>> = times
        .iter()
        .map(|t| NewSubmission {
            consultation: loaded.stored,
            submission_id: None,
            answers: &answers,
            channel: consult::storage::Channel::Import,
            submitted_at: Some(*t),
        })
        .collect();
    store.import(&subs).expect("stored");

    let (status, html) = common::fetch(&app.client, &format!("{}/staff/{SLUG}", app.address)).await;
    assert_eq!(status, 200);
    let weeks = html
        .split("Responses per week")
        .nth(1)
        .and_then(|t| t.split("</table>").next())
        .unwrap_or_default();
    let rows = weeks.matches("<tr class=\"nhsuk-table__row\">").count();
    assert!((1..=104).contains(&rows), "{rows} weeks listed");
    assert!(html.len() < 200_000, "{} bytes", html.len());
    assert!(
        html.contains("Only the last two years are shown: 3 response(s) came before"),
        "the others are still counted"
    );
}

async fn nul_in_an_answer_is_refused_naming_its_question(backend: Backend) {
    let app = spawn_app(backend).await;
    let mut answers = valid_answers();
    answers["q12"] = json!("Through provider\u{0} collaboratives.");
    let (status, body) = common::submit(&app.anonymous, &app.address, &answers, None).await;
    assert_eq!(status, 422, "{body}");
    assert_eq!(body["errors"][0]["field"], "q12", "{body}");
    assert_eq!(
        body["errors"][0]["message"],
        "must not contain the NUL character (U+0000)"
    );

    // The web form says so too, next to the question.
    let client = common::client();
    let (_, html) = common::fetch(&client, &format!("{}/consultations/{SLUG}", app.address)).await;
    let token = csrf(&html);
    let r = client
        .post(format!("{}/consultations/{SLUG}/start", app.address))
        .form(&[("csrf_token", &token)])
        .send()
        .await
        .expect("start");
    let section = r.headers()["location"]
        .to_str()
        .expect("location")
        .to_owned();
    let r = client
        .post(format!("{}{section}", app.address))
        .form(&[
            ("csrf_token", token.as_str()),
            ("stakeholder_group", "ccg"),
            ("region", "london"),
            ("role", "chair"),
            ("organisation", "Example\u{0} CCG"),
            ("action", "continue"),
        ])
        .send()
        .await
        .expect("save");
    assert_eq!(r.status(), 422);
    let html = r.text().await.expect("html");
    assert!(
        html.contains("Must not contain the NUL character (U+0000)"),
        "{html}"
    );
    assert_eq!(app.stored_count(), 0);
}

fn demo_text() -> String {
    std::fs::read_to_string(repo_path(
        "fixtures/consultations/next-steps-for-system-working.json",
    ))
    .expect("demo definition")
}

async fn a_definition_holding_nul_stops_the_service_naming_the_field(backend: Backend) {
    let dir = tempfile::tempdir().expect("dir");
    let mut def: Value = serde_json::from_str(&demo_text()).expect("json");
    def["sections"][0]["title"] = json!("About\u{0} you");
    std::fs::write(dir.path().join("nul.json"), def.to_string()).expect("write");
    let db = common::test_db(backend);
    let err = consult::startup::Application::build(common::settings(&db.url, dir.path()))
        .await
        .err()
        .expect("refused");
    let text = format!("{err:#}");
    assert!(
        text.contains("sections[0].title: must not contain the NUL character (U+0000)"),
        "{text}"
    );
}

async fn a_definition_starting_with_a_byte_order_mark_loads(backend: Backend) {
    let dir = tempfile::tempdir().expect("dir");
    std::fs::write(
        dir.path().join("bom.json"),
        format!("\u{feff}{}", demo_text()),
    )
    .expect("write");
    let app = common::spawn_app_with(backend, dir.path()).await;
    let definition = app.get_json(&format!("/api/consultations/{SLUG}")).await;
    assert_eq!(definition["slug"], SLUG, "{definition}");
}

on_both_backends!(
    imports_refuse_implausible_times_unknown_fields_and_repeated_columns,
    the_dashboard_lists_at_most_two_years_of_weeks,
    nul_in_an_answer_is_refused_naming_its_question,
    a_definition_holding_nul_stops_the_service_naming_the_field,
    a_definition_starting_with_a_byte_order_mark_loads,
);
