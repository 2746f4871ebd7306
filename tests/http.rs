//! HTTP hygiene: methods, HEAD, ETags per representation, caching of
//! personal pages, and what the JSON API accepts as a body.
mod common;

use common::{Backend, SLUG, csrf, spawn_app, valid_answers};
use serde_json::{Value, json};

fn header(r: &reqwest::Response, name: &str) -> Option<String> {
    r.headers()
        .get(name)
        .map(|v| v.to_str().expect("ascii header").to_owned())
}

async fn other_methods_on_known_routes_answer_405_with_allow(backend: Backend) {
    let app = spawn_app(backend).await;
    let results = format!("{}/api/consultations/{SLUG}/results", app.address);
    for method in [
        reqwest::Method::PUT,
        reqwest::Method::DELETE,
        reqwest::Method::POST,
    ] {
        let r = app
            .client
            .request(method.clone(), &results)
            .send()
            .await
            .expect("sent");
        assert_eq!(r.status(), 405, "{method} results");
        let allow = header(&r, "allow").expect("Allow header");
        assert!(allow.contains("GET") && allow.contains("HEAD"), "{allow}");
        assert!(!allow.contains("POST"), "{allow}");
        let body: Value = r.json().await.expect("a JSON error body");
        assert_eq!(body["errors"][0]["field"], "method", "{body}");
    }
    let submit = format!("{}/api/consultations/{SLUG}/responses", app.address);
    let r = app.client.get(&submit).send().await.expect("sent");
    assert_eq!(r.status(), 405);
    assert_eq!(header(&r, "allow").as_deref(), Some("POST"));

    // A page: 405 with Allow and a readable page.
    let r = app
        .anonymous
        .delete(format!("{}/sign-in", app.address))
        .send()
        .await
        .expect("sent");
    assert_eq!(r.status(), 405);
    let allow = header(&r, "allow").expect("Allow header");
    assert!(allow.contains("GET") && allow.contains("POST"), "{allow}");
    assert!(
        header(&r, "content-type").is_some_and(|t| t.starts_with("text/html")),
        "a page"
    );

    // The start form's address, opened as a page, leads to the start page.
    let r = app
        .anonymous
        .get(format!("{}/consultations/{SLUG}/start", app.address))
        .send()
        .await
        .expect("sent");
    assert_eq!(r.status(), 303);
    assert_eq!(
        header(&r, "location").as_deref(),
        Some(format!("/consultations/{SLUG}").as_str())
    );

    // Unknown paths are still 404: JSON under /api, a page elsewhere.
    let r = app
        .client
        .get(format!("{}/api/nothing-here", app.address))
        .send()
        .await
        .expect("sent");
    assert_eq!(r.status(), 404);
    let body: Value = r.json().await.expect("a JSON error body");
    assert_eq!(body["errors"][0]["field"], "path");
    let r = app
        .anonymous
        .get(format!("{}/nothing-here", app.address))
        .send()
        .await
        .expect("sent");
    assert_eq!(r.status(), 404);
    assert!(r.text().await.expect("text").contains("Page not found"));
}

async fn pages_answer_head(backend: Backend) {
    let app = spawn_app(backend).await;
    for path in [
        "/".to_string(),
        format!("/consultations/{SLUG}"),
        "/sign-in".into(),
    ] {
        let get = app
            .anonymous
            .get(format!("{}{path}", app.address))
            .send()
            .await
            .expect("get");
        assert_eq!(get.status(), 200, "GET {path}");
        let head = app
            .anonymous
            .head(format!("{}{path}", app.address))
            .send()
            .await
            .expect("head");
        assert_eq!(head.status(), 200, "HEAD {path}");
        assert_eq!(
            header(&head, "content-type"),
            header(&get, "content-type"),
            "{path}"
        );
        assert!(head.bytes().await.expect("body").is_empty(), "HEAD {path}");
    }
}

/// An ETag is for one representation: another question, another format or
/// another filter never answers 304 with it.
async fn etags_differ_between_representations(backend: Backend) {
    let app = spawn_app(backend).await;
    common::submit_varied(&app.client, &app.address, 4).await;
    let url = |q: &str| format!("{}/api/consultations/{SLUG}/{q}", app.address);
    let tag = |r: &reqwest::Response| header(r, "etag").expect("ETag");
    let q1 = app
        .client
        .get(url("breakdown?question=q1"))
        .send()
        .await
        .expect("get");
    assert_eq!(q1.status(), 200);
    let q1_tag = tag(&q1);
    let revalidate = |path: String, etag: String| {
        let client = app.client.clone();
        async move {
            client
                .get(path)
                .header("if-none-match", etag)
                .send()
                .await
                .expect("get")
                .status()
                .as_u16()
        }
    };
    assert_eq!(
        revalidate(url("breakdown?question=q1"), q1_tag.clone()).await,
        304
    );
    for other in [
        "breakdown?question=q4",
        "breakdown?question=q1&by=region",
        "breakdown.csv?question=q1",
        "results",
        "charts/q1.svg",
    ] {
        assert_eq!(
            revalidate(url(other), q1_tag.clone()).await,
            200,
            "{other} answered 304 to the tag of q1's breakdown"
        );
    }
    let svg = app
        .client
        .get(url("charts/q1.svg"))
        .send()
        .await
        .expect("get");
    let png = app
        .client
        .get(url("charts/q1.png"))
        .send()
        .await
        .expect("get");
    assert_ne!(tag(&svg), tag(&png));
    assert_eq!(revalidate(url("charts/q1.png"), tag(&png)).await, 304);
    // A new response changes every tag.
    common::submit_varied(&app.client, &app.address, 1).await;
    assert_eq!(revalidate(url("breakdown?question=q1"), q1_tag).await, 200);
}

async fn personal_pages_and_downloads_are_not_stored_by_caches(backend: Backend) {
    let app = spawn_app(backend).await;
    let get = |path: String| {
        let client = app.client.clone();
        async move { client.get(path).send().await.expect("get") }
    };
    let no_store =
        |r: &reqwest::Response| header(r, "cache-control").as_deref() == Some("no-store");
    for path in [
        "/staff".to_string(),
        format!("/staff/{SLUG}"),
        "/research".into(),
        "/sign-in".into(),
        format!("/api/consultations/{SLUG}/export?format=csv"),
        format!("/api/consultations/{SLUG}/export?format=csv&identified=true"),
    ] {
        let r = get(format!("{}{path}", app.address)).await;
        assert_eq!(r.status(), 200, "{path}");
        assert!(no_store(&r), "{path}: {:?}", header(&r, "cache-control"));
    }
    // A member's private link, and the pages behind it.
    let (_, page) = common::fetch(
        &app.anonymous,
        &format!("{}/consultations/{SLUG}", app.address),
    )
    .await;
    let started = app
        .anonymous
        .post(format!("{}/consultations/{SLUG}/start", app.address))
        .form(&[("csrf_token", csrf(&page))])
        .send()
        .await
        .expect("post");
    assert_eq!(started.status(), 303);
    let link = header(&started, "location").expect("location");
    assert!(no_store(&started), "the redirect to the private link");
    let r = app
        .anonymous
        .get(format!("{}{link}", app.address))
        .send()
        .await
        .expect("get");
    assert!(r.status().is_success(), "{link}: {}", r.status());
    assert!(no_store(&r), "{link}");
    // Public pages may be cached as usual.
    let home = get(format!("{}/", app.address)).await;
    assert!(!no_store(&home));
}

async fn the_api_takes_json_bodies_only(backend: Backend) {
    let app = spawn_app(backend).await;
    let url = format!("{}/api/consultations/{SLUG}/responses", app.address);
    let body = json!({"answers": valid_answers()}).to_string();
    for content_type in [
        Some("text/plain"),
        Some("application/x-www-form-urlencoded"),
        Some("multipart/form-data; boundary=x"),
        Some("application/jsonx"),
        None,
    ] {
        let mut r = app.client.post(&url).body(body.clone());
        if let Some(t) = content_type {
            r = r.header("content-type", t);
        }
        let r = r.send().await.expect("sent");
        assert_eq!(r.status(), 415, "{content_type:?}");
        let e: Value = r.json().await.expect("json error");
        assert_eq!(e["errors"][0]["field"], "content-type");
    }
    assert_eq!(app.stored_count(), 0);
    for content_type in [
        "application/json; charset=utf-8",
        "application/merge-patch+json",
    ] {
        let r = app
            .client
            .post(&url)
            .header("content-type", content_type)
            .body(body.clone())
            .send()
            .await
            .expect("sent");
        assert_eq!(r.status(), 201, "{content_type}");
    }
    assert_eq!(app.stored_count(), 2);
}

async fn repeated_keys_in_a_body_are_refused(backend: Backend) {
    let app = spawn_app(backend).await;
    let answers = valid_answers().to_string();
    // The same question twice, with different answers.
    let twice = answers.replacen("\"q1\":", "\"q1\":\"agree\",\"q1\":", 1);
    assert_ne!(twice, answers);
    let r = app
        .post_response(format!(r#"{{"answers": {twice}}}"#))
        .await;
    assert_eq!(r.status(), 422);
    let e: Value = r.json().await.expect("json");
    assert_eq!(e["errors"][0]["field"], "q1", "{e}");
    // A top-level field twice.
    let r = app
        .post_response(format!(
            r#"{{"submission_id": "0192f0a4-8f7e-7cc1-9a57-3f7bb5a0e001", "answers": {answers}, "submission_id": "0192f0a4-8f7e-7cc1-9a57-3f7bb5a0e002"}}"#
        ))
        .await;
    assert_eq!(r.status(), 422);
    let e: Value = r.json().await.expect("json");
    assert_eq!(e["errors"][0]["field"], "submission_id", "{e}");
    assert_eq!(app.stored_count(), 0);
}

on_both_backends!(
    other_methods_on_known_routes_answer_405_with_allow,
    pages_answer_head,
    etags_differ_between_representations,
    personal_pages_and_downloads_are_not_stored_by_caches,
    the_api_takes_json_bodies_only,
    repeated_keys_in_a_body_are_refused,
);
