//! The policy staff's pages: dashboard and per-question breakdowns.
mod common;

use common::{Backend, SLUG};

async fn page(app: &common::TestApp, path: &str) -> (u16, String) {
    common::fetch(&app.client, &format!("{}{path}", app.address)).await
}

async fn staff_see_the_results(backend: Backend) {
    let app = common::spawn_app_with_fixture(backend).await;

    let (status, html) = page(&app, "/staff").await;
    assert_eq!(status, 200);
    assert!(html.contains(&format!("href=\"/staff/{SLUG}\"")));
    assert!(html.contains(">252<"), "{html}");

    let (status, html) = page(&app, &format!("/staff/{SLUG}")).await;
    assert_eq!(status, 200);
    assert!(html.contains("<strong>252</strong> responses"));
    assert!(html.contains("Exactly three quarters of respondents say"));
    assert!(html.contains("Acute trust"));
    assert!(html.contains("Week starting"));
    assert!(html.contains(&format!("/staff/{SLUG}/questions/q10")));

    let (status, html) = page(
        &app,
        &format!("/staff/{SLUG}/questions/q10?by=region&f_stakeholder_group=ccg"),
    )
    .await;
    assert_eq!(status, 200);
    assert!(html.contains("<option value=\"region\" selected>"));
    assert!(html.contains("<option value=\"ccg\" selected>"));
    // Attribute values decoded as a browser would.
    let img = html
        .split("<img")
        .nth(1)
        .unwrap_or_default()
        .split('>')
        .next()
        .unwrap_or_default()
        .replace("&#38;", "&")
        .replace("&amp;", "&");
    assert!(
        img.contains("by=region&filter=stakeholder_group%3Accg"),
        "chart keeps the choice: {img}"
    );
    assert!(html.contains("London"));
    // All respondents: the 50 CCGs.
    let total_row = html.split("consult-total").nth(1).unwrap_or_default();
    assert!(total_row.contains(">50<"), "{total_row}");

    // The chart the page shows exists.
    let src_start = img.find("src=\"/api/").expect("chart") + "src=\"".len();
    let src = img[src_start..].split('"').next().unwrap_or_default();
    let chart = app
        .client
        .get(format!("{}{src}", app.address))
        .send()
        .await
        .expect("chart");
    assert_eq!(chart.status(), 200, "{src}");
    assert!(chart.text().await.unwrap_or_default().contains("<svg"));

    let (status, html) = page(&app, &format!("/staff/{SLUG}/questions/q10?from=yesterday")).await;
    assert_eq!(status, 422);
    assert!(html.contains("There is a problem"));
    assert!(html.contains("href=\"#from\""));

    assert_eq!(
        page(&app, &format!("/staff/{SLUG}/questions/q1_why"))
            .await
            .0,
        404
    );
    assert_eq!(page(&app, "/staff/nope").await.0, 404);
}

/// How many answers to `q` there are, as the coding API counts them.
async fn answers(app: &common::TestApp, q: &str) -> (u64, Vec<String>) {
    let url = format!("/api/consultations/{SLUG}/questions/{q}/answers?per_page=2");
    let page = app.get_json(&url).await;
    let ids = page["answers"].as_array().cloned().unwrap_or_default();
    let ids = ids
        .iter()
        .map(|a| a["response"].as_str().unwrap_or("").to_owned());
    (page["total"].as_u64().unwrap_or(0), ids.collect())
}

async fn the_dashboard_shows_coded_free_text(backend: Backend) {
    let app = common::spawn_app_with_fixture(backend).await;
    let base = format!("{}/api/consultations/{SLUG}/questions/q3", app.address);
    let theme = serde_json::json!({"label": "Finance", "description": "Money."});
    let r = app
        .client
        .post(format!("{base}/themes"))
        .json(&theme)
        .send()
        .await;
    assert_eq!(r.map(|r| r.status().as_u16()).ok(), Some(201));
    let (total, ids) = answers(&app, "q3").await;
    // The first carries Finance and is quoted for it; the second, none.
    for (id, themes) in ids.iter().zip([vec![1], vec![]]) {
        let url = format!("{base}/answers/{id}/themes");
        let body = serde_json::json!({ "themes": themes });
        let r = app.client.put(url).json(&body).send().await;
        assert_eq!(r.map(|r| r.status().as_u16()).ok(), Some(200));
    }
    let r = app
        .client
        .put(format!("{base}/answers/{}/quotes/1", ids[0]))
        .send()
        .await;
    assert!(r.is_ok_and(|r| r.status().is_success()));
    let path = format!("/api/consultations/{SLUG}/questions/q3/answers?theme=1");
    let quoted = app.get_json(&path).await;
    let group = quoted["answers"][0]["answers"]["stakeholder_group"].clone();

    let (status, html) = page(&app, &format!("/staff/{SLUG}")).await;
    assert_eq!(status, 200);
    let section = html.split("id=\"text-q3\"").nth(1).unwrap_or_default();
    let section = section.split("<h3").next().unwrap_or_default();
    let counts = format!("{total} answered; 2 coded, {} not coded yet.", total - 2);
    assert!(section.contains(&counts), "{counts}: {section}");
    assert!(section.contains(">Finance<") && section.contains("consult-quote"));
    let said = consult::export::quotes::attribution(&common::demo_definition(), group.as_str());
    assert!(section.contains(&format!("— {said}")), "{group}: {section}");
    assert!(section.contains("charts/q3.svg?by=stakeholder_group&amp;kind=grouped"));
    let (q12, _) = answers(&app, "q12").await;
    assert!(html.contains(&format!("No themes yet: {q12} answers to read.")));
}

on_both_backends!(staff_see_the_results, the_dashboard_shows_coded_free_text);
