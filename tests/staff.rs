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

on_both_backends!(staff_see_the_results);
