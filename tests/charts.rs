//! Charts through the HTTP API: which chart each kind of question gets,
//! and what a grouped chart says.
mod common;

use common::{Backend, SLUG};

async fn get(app: &common::TestApp, path: &str) -> reqwest::Response {
    app.client
        .get(format!("{}{path}", app.address))
        .send()
        .await
        .expect("get")
}

/// The SVG's text, line after line, entities decoded.
fn text_of(svg: &str) -> String {
    svg.split("<text")
        .skip(1)
        .filter_map(|t| {
            let start = t.find('>')? + 1;
            let end = t.find("</text>")?;
            Some(
                t[start..end]
                    .trim()
                    .replace("&apos;", "'")
                    .replace("&quot;", "\"")
                    .replace("&lt;", "<")
                    .replace("&gt;", ">")
                    .replace("&amp;", "&"),
            )
        })
        .collect::<Vec<_>>()
        .join(" ")
}

const STAKEHOLDER_GROUPS: [&str; 9] = [
    "Acute trust",
    "Mental health trust",
    "Community trust",
    "Ambulance trust",
    "Clinical commissioning group (CCG)",
    "Primary care network (PCN)",
    "Integrated care system (ICS) or sustainability and transformation partnership (STP)",
    "Local authority",
    "Other",
];

async fn multiple_choice_charts_show_each_group(backend: Backend) {
    let app = common::spawn_app_with_fixture(backend).await;
    let chart = |query: &str| format!("/api/consultations/{SLUG}/charts/q5b.svg{query}");
    let r = get(&app, &chart("?by=stakeholder_group")).await;
    assert_eq!(r.status(), 200);
    let svg = r.text().await.expect("svg");
    let text = text_of(&svg);
    assert!(text.contains("All respondents (n = "), "{text}");
    for group in STAKEHOLDER_GROUPS {
        assert!(
            text.contains(&format!("{group} (n = ")),
            "{group} in {text}"
        );
    }
    assert!(svg.contains("<desc id=\"chart-q5b-desc\">Grouped bar chart by"));

    // Grouped is the default, and may be asked for by name.
    let named = get(&app, &chart("?by=stakeholder_group&kind=grouped")).await;
    assert_eq!(named.text().await.expect("svg"), svg);
    let by_region = get(&app, &chart("?by=region&kind=grouped")).await;
    let by_region = text_of(&by_region.text().await.expect("svg"));
    assert!(
        by_region.contains("North East and Yorkshire (n = "),
        "{by_region}"
    );

    // The overall chart is still there, and a stacked one still is not.
    let overall = get(&app, &chart("?by=stakeholder_group&kind=overall")).await;
    let overall = overall.text().await.expect("svg");
    assert!(overall.contains("Bar chart of all respondents"));
    assert!(!text_of(&overall).contains("Acute trust"));
    let r = get(&app, &chart("?kind=stacked")).await;
    assert_eq!(r.status(), 422);
    let body: serde_json::Value = r.json().await.expect("json");
    assert_eq!(body["errors"][0]["field"], "kind", "{body}");

    // A filtered chart says so under its title.
    let r = get(
        &app,
        &chart("?filter=region:london,north_west&from=2020-08-01"),
    )
    .await;
    assert_eq!(r.status(), 200);
    let filtered = text_of(&r.text().await.expect("svg"));
    assert!(
        filtered.contains("Only respondents who answered London or North West to"),
        "{filtered}"
    );
    assert!(
        filtered.contains("submitted on or after 1 August 2020"),
        "{filtered}"
    );

    let png = get(&app, &format!("/api/consultations/{SLUG}/charts/q5b.png")).await;
    assert_eq!(png.headers()["content-type"], "image/png");
    assert_eq!(&png.bytes().await.expect("png")[1..4], b"PNG");
}

on_both_backends!(multiple_choice_charts_show_each_group);
