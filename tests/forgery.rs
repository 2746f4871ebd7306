//! Requests another site makes a signed-in browser send, and links built
//! from headers a client chose.
mod common;

use common::{Backend, SLUG, create_user, csrf, spawn_app};
use reqwest::header::{COOKIE, LOCATION};

fn location(r: &reqwest::Response) -> String {
    r.headers()
        .get(LOCATION)
        .and_then(|l| l.to_str().ok())
        .unwrap_or_default()
        .to_owned()
}

/// A member's private link, started from the start page.
async fn new_draft(app: &common::TestApp, browser: &reqwest::Client) -> String {
    let (_, html) = common::fetch(browser, &format!("{}/consultations/{SLUG}", app.address)).await;
    let r = browser
        .post(format!("{}/consultations/{SLUG}/start", app.address))
        .form(&[("csrf_token", csrf(&html))])
        .send()
        .await
        .expect("post");
    location(&r).trim_end_matches("/sections/about").to_owned()
}

/// A browser signed in as a new administrator, its session cookie's value
/// and its CSRF token.
async fn admin_browser(app: &common::TestApp) -> (reqwest::Client, String, String) {
    let admin = create_user(&app.db.url, "boss@example.org", "admin");
    let browser = common::client();
    let (_, html) = common::fetch(&browser, &format!("{}/sign-in", app.address)).await;
    let token = csrf(&html);
    let r = browser
        .post(format!("{}/sign-in", app.address))
        .form(&[
            ("csrf_token", token.as_str()),
            ("email", &admin.email),
            ("password", &admin.password),
        ])
        .send()
        .await
        .expect("post");
    assert_eq!(r.status(), 303);
    let session = r
        .headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|c| c.to_str().ok())
        .find_map(|c| c.strip_prefix("consult_session="))
        .and_then(|c| c.split(';').next())
        .expect("a session cookie")
        .to_owned();
    (browser, session, token)
}

async fn an_empty_csrf_token_never_matches(backend: Backend) {
    let app = spawn_app(backend).await;
    let base = new_draft(&app, &common::client()).await;
    let (_, session, _) = admin_browser(&app).await;
    let forms = [
        format!("/consultations/{SLUG}/start"),
        format!("{base}/sections/about"),
        format!("{base}/submit"),
        format!("{base}/withdraw"),
        "/sign-in".to_owned(),
        "/sign-out".to_owned(),
        format!("/research/{SLUG}/identified-export"),
    ];
    let plain = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("client");
    let mut wrong = Vec::new();
    for path in &forms {
        let r = plain
            .post(format!("{}{path}", app.address))
            .header(COOKIE, format!("consult_csrf=; consult_session={session}"))
            .form(&[
                ("csrf_token", ""),
                ("email", "boss@example.org"),
                ("format", "csv"),
            ])
            .send()
            .await
            .expect("post");
        if r.status() != 403 {
            wrong.push(format!("POST {path}: {}", r.status()));
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
    assert!(app.store().audit_entries(10).expect("audit").is_empty());
}

async fn a_session_opens_and_closes_only_from_this_site(backend: Backend) {
    let app = spawn_app(backend).await;
    let (browser, _, _) = admin_browser(&app).await;
    let close = format!("{}/api/consultations/{SLUG}/close", app.address);
    let cases: [(&[(&str, &str)], u16); 6] = [
        (&[], 403),
        (&[("origin", "https://evil.example")], 403),
        (&[("origin", "null")], 403),
        (&[("sec-fetch-site", "cross-site")], 403),
        (&[("sec-fetch-site", "same-site")], 403),
        (
            &[
                ("sec-fetch-site", "cross-site"),
                ("origin", app.address.as_str()),
            ],
            403,
        ),
    ];
    let mut wrong = Vec::new();
    for (headers, expected) in cases {
        let mut request = browser.post(&close);
        for (name, value) in headers {
            request = request.header(*name, *value);
        }
        let status = request.send().await.expect("post").status();
        if status != expected {
            wrong.push(format!("{headers:?}: {status}"));
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
    assert!(app.store().audit_entries(10).expect("audit").is_empty());

    // From the site's own pages, and with the API token, it works.
    let r = browser
        .post(&close)
        .header("sec-fetch-site", "same-origin")
        .send()
        .await
        .expect("post");
    assert_eq!(r.status(), 200);
    let r = browser
        .post(format!("{}/api/consultations/{SLUG}/open", app.address))
        .header("origin", &app.address)
        .send()
        .await
        .expect("post");
    assert_eq!(r.status(), 200);
    let r = app.client.post(&close).send().await.expect("post");
    assert_eq!(r.status(), 200);
}

async fn a_browser_gets_identified_data_only_by_posting_the_form(backend: Backend) {
    let app = spawn_app(backend).await;
    let (browser, _, token) = admin_browser(&app).await;
    let export = format!("{}/api/consultations/{SLUG}/export", app.address);
    // A link on another site sends the session cookie with a GET.
    for query in ["format=csv&identified=true", "identified=true"] {
        let url = if query.starts_with("format") {
            format!("{export}?{query}")
        } else {
            format!("{export}/disclosure?{query}")
        };
        let r = browser.get(&url).send().await.expect("get");
        assert_eq!(r.status(), 401, "{url}");
    }
    assert!(app.store().audit_entries(10).expect("audit").is_empty());
    // Anonymised data is still a link.
    let r = browser
        .get(format!("{export}?format=csv"))
        .send()
        .await
        .expect("get");
    assert_eq!(r.status(), 200);

    let (status, html) = common::fetch(&browser, &format!("{}/research", app.address)).await;
    assert_eq!(status, 200);
    let action = format!("/research/{SLUG}/identified-export");
    assert!(html.contains(&format!("action=\"{action}\"")), "{html}");
    assert_eq!(csrf(&html), token);
    let post = |fields: Vec<(&'static str, String)>| {
        browser
            .post(format!("{}{action}", app.address))
            .form(&fields)
            .send()
    };
    let r = post(vec![("format", "csv".into())]).await.expect("post");
    assert_eq!(r.status(), 403, "no CSRF token");
    let r = post(vec![
        ("csrf_token", token.clone()),
        ("format", "csv".into()),
    ])
    .await
    .expect("post");
    assert_eq!(r.status(), 200);
    let disposition = r.headers()["content-disposition"]
        .to_str()
        .unwrap_or_default()
        .to_owned();
    assert!(disposition.contains("identified.csv"), "{disposition}");
    assert!(r.text().await.expect("body").contains("organisation"));
    let entries = app.store().audit_entries(10).expect("audit");
    assert_eq!(entries.len(), 1, "{entries:?}");
    assert_eq!(entries[0].email.as_deref(), Some("boss@example.org"));
    assert_eq!(entries[0].action, "identified_export");

    // Staff see no such form, and posting it is refused.
    let staff = create_user(&app.db.url, "policy@example.org", "staff");
    let r = common::authed_client(&staff.token)
        .get(format!("{}/research", app.address))
        .send()
        .await
        .expect("get");
    assert!(!r.text().await.expect("body").contains(&action));
}

/// Answers every section of the demo consultation and submits.
async fn complete(app: &common::TestApp, browser: &reqwest::Client, base: &str) {
    let (_, html) = common::fetch(browser, &format!("{}{base}/sections/about", app.address)).await;
    let token = csrf(&html);
    let sections: [(&str, &[(&str, &str)]); 6] = [
        (
            "about",
            &[
                ("stakeholder_group", "ccg"),
                ("region", "london"),
                ("role", "chair"),
                ("organisation", "Example CCG"),
            ],
        ),
        ("purpose", &[("q1", "agree")]),
        ("scope", &[]),
        ("accountability", &[]),
        (
            "operating_model",
            &[
                ("q11", "definitely"),
                ("q11_who", "joint_committee"),
                ("q8", "remain"),
                ("q9", "probably"),
                ("q9_areas", "public_health"),
            ],
        ),
        ("future", &[("q13", "probably")]),
    ];
    for (section, answers) in sections {
        let mut form = vec![("csrf_token", token.as_str()), ("action", "continue")];
        form.extend_from_slice(answers);
        let r = browser
            .post(format!("{}{base}/sections/{section}", app.address))
            .form(&form)
            .send()
            .await
            .expect("post");
        assert_eq!(
            r.status(),
            303,
            "{section}: {}",
            r.text().await.unwrap_or_default()
        );
    }
    let r = browser
        .post(format!("{}{base}/submit", app.address))
        .form(&[("csrf_token", token.as_str())])
        .send()
        .await
        .expect("post");
    assert!(location(&r).ends_with("/confirmation"), "{}", location(&r));
}

/// The page at `path`, asked for with a forged `Host` and forwarding headers.
async fn forged(app: &common::TestApp, browser: &reqwest::Client, path: &str) -> String {
    let r = browser
        .get(format!("{}{path}", app.address))
        .header("host", "evil.example")
        .header("x-forwarded-host", "evil.example")
        .header("x-forwarded-proto", "http")
        .header("forwarded", "host=evil.example;proto=http")
        .send()
        .await
        .expect("get");
    assert_eq!(r.status(), 200, "{path}");
    r.text().await.expect("body")
}

async fn members_links_use_the_public_url(backend: Backend) {
    let app = common::spawn_app_configured(backend, |s| {
        s.public_url = Some("https://consult.example.org/".parse().expect("a URL"));
    })
    .await;
    let browser = common::client();
    let base = new_draft(&app, &browser).await;
    let link = format!("https://consult.example.org{base}");
    let saved = forged(&app, &browser, &format!("{base}/saved")).await;
    assert!(
        saved.contains(&link) && !saved.contains("evil.example"),
        "{saved}"
    );
    complete(&app, &browser, &base).await;
    let confirmation = forged(&app, &browser, &format!("{base}/confirmation")).await;
    assert!(
        confirmation.contains(&link) && !confirmation.contains("evil.example"),
        "{confirmation}"
    );

    // Unset, links are built from the request, as before.
    let app = spawn_app(backend).await;
    let base = new_draft(&app, &browser).await;
    let (_, saved) = common::fetch(&browser, &format!("{}{base}/saved", app.address)).await;
    assert!(saved.contains(&format!("{}{base}", app.address)), "{saved}");
}

on_both_backends!(
    an_empty_csrf_token_never_matches,
    a_session_opens_and_closes_only_from_this_site,
    a_browser_gets_identified_data_only_by_posting_the_form,
    members_links_use_the_public_url,
);
