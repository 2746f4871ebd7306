//! Signing in as an attacker would try it: where `next` may send a browser,
//! whether an unknown address answers differently from a known one, and
//! whose address the rate limits count behind a proxy.
mod common;

use common::{Backend, SLUG, create_user, spawn_app};
use consult::web::client_address::ClientAddress;
use consult::web::limits::LimitSettings;
use std::time::{Duration, Instant};

/// A browser on the sign-in page: its client (keeping cookies) and the
/// form's CSRF token.
async fn sign_in_form(app: &common::TestApp) -> (reqwest::Client, String) {
    let browser = common::client();
    let (_, html) = common::fetch(&browser, &format!("{}/sign-in", app.address)).await;
    let csrf = common::csrf(&html);
    (browser, csrf)
}

async fn post_sign_in(
    app: &common::TestApp,
    browser: &reqwest::Client,
    fields: &[(&str, &str)],
) -> reqwest::Response {
    browser
        .post(format!("{}/sign-in", app.address))
        .form(fields)
        .send()
        .await
        .expect("post")
}

async fn sign_in_sends_back_only_to_a_path_on_this_site(backend: Backend) {
    let app = spawn_app(backend).await;
    let staff = create_user(&app.db.url, "policy@example.org", "staff");
    let (browser, csrf) = sign_in_form(&app).await;
    let cases = [
        ("/staff/next-steps?by=region", "/staff/next-steps?by=region"),
        ("/staff/a b", "/staff/a%20b"),
        // Browsers drop tabs and newlines and read `\` as `/`.
        ("/\t/evil.example", "/staff"),
        ("/\n/evil.example", "/staff"),
        ("/\\evil.example", "/staff"),
        ("/.//evil.example", "/staff"),
        ("/..//evil.example", "/staff"),
        ("//evil.example", "/staff"),
        ("https://evil.example/", "/staff"),
        ("javascript:alert(1)", "/staff"),
        ("evil.example", "/staff"),
        ("", "/staff"),
        // Once a 500: not a valid header value.
        ("/staff\r\nSet-Cookie: x=y", "/staff"),
        ("/a\rb", "/staff"),
        ("/a\u{b}b", "/staff"),
        ("/a\u{c}b", "/staff"),
        ("/a\0b", "/staff"),
        ("/a\u{85}b", "/staff"),
    ];
    let mut wrong = Vec::new();
    for (next, expected) in cases {
        let r = post_sign_in(
            &app,
            &browser,
            &[
                ("csrf_token", &csrf),
                ("email", &staff.email),
                ("password", &staff.password),
                ("next", next),
            ],
        )
        .await;
        let location = r
            .headers()
            .get("location")
            .map(|l| String::from_utf8_lossy(l.as_bytes()).into_owned());
        if r.status() != 303 || location.as_deref() != Some(expected) {
            wrong.push(format!("{next:?}: {} to {location:?}", r.status()));
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));

    // The sign-in page carries only a cleaned `next` in its form.
    let (status, html) = common::fetch(
        &common::client(),
        &format!("{}/sign-in?next=%2F%09%2Fevil.example", app.address),
    )
    .await;
    assert_eq!(status, 200);
    assert!(html.contains("name=\"next\" value=\"/staff\""), "{html}");
}

/// One wrong-password sign-in for `email`.
async fn guess(
    app: &common::TestApp,
    browser: &reqwest::Client,
    csrf: &str,
    email: &str,
) -> reqwest::Response {
    let fields = [
        ("csrf_token", csrf),
        ("email", email),
        ("password", "guess"),
    ];
    post_sign_in(app, browser, &fields).await
}

async fn an_unknown_address_waits_as_an_account_does(backend: Backend) {
    let app = spawn_app(backend).await;
    let (browser, csrf) = sign_in_form(&app).await;
    for _ in 0..3 {
        let r = guess(&app, &browser, &csrf, "nobody@example.org").await;
        assert_eq!(r.status(), 401);
    }
    let r = guess(&app, &browser, &csrf, "Nobody@Example.org ").await;
    assert_eq!(r.status(), 429, "as a known account would after three");
    assert!(r.headers().contains_key("retry-after"));
    // Other addresses are not held up.
    let r = guess(&app, &browser, &csrf, "someone@example.org").await;
    assert_eq!(r.status(), 401);
}

/// The quickest of a few wrong-password sign-ins for each email.
async fn quickest(
    app: &common::TestApp,
    browser: &reqwest::Client,
    csrf: &str,
    emails: &[String],
) -> Duration {
    let mut best = Duration::MAX;
    for email in emails {
        let started = Instant::now();
        let r = guess(app, browser, csrf, email).await;
        assert_eq!(r.status(), 401);
        best = best.min(started.elapsed());
    }
    best
}

async fn an_unknown_address_takes_as_long_as_a_known_one(backend: Backend) {
    let app = spawn_app(backend).await;
    let known: Vec<String> = (0..3)
        .map(|i| create_user(&app.db.url, &format!("known{i}@example.org"), "staff").email)
        .collect();
    let unknown: Vec<String> = (0..3).map(|i| format!("unknown{i}@example.org")).collect();
    let (browser, csrf) = sign_in_form(&app).await;
    let known_time = quickest(&app, &browser, &csrf, &known).await;
    let unknown_time = quickest(&app, &browser, &csrf, &unknown).await;
    // Checking a password hash is what takes the time: an unknown address
    // that skips it answers many times faster.
    assert!(
        unknown_time * 3 >= known_time,
        "unknown {unknown_time:?}, known {known_time:?}"
    );
}

/// A submission through nginx: it appends the address it saw to whatever
/// `X-Forwarded-For` the client sent.
async fn submit_via_proxy(
    app: &common::TestApp,
    client_claims: &str,
    proxy_saw: &str,
    forwarded: Option<&str>,
) -> u16 {
    let mut request = app
        .anonymous
        .post(format!(
            "{}/api/consultations/{SLUG}/responses",
            app.address
        ))
        .header(
            "x-forwarded-for",
            match client_claims {
                "" => proxy_saw.to_owned(),
                claims => format!("{claims}, {proxy_saw}"),
            },
        )
        .json(&serde_json::json!({"answers": common::valid_answers()}));
    if let Some(f) = forwarded {
        request = request.header("forwarded", f);
    }
    request.send().await.expect("post").status().as_u16()
}

async fn limits_count_the_address_the_proxy_saw(backend: Backend) {
    let app = common::spawn_app_limited(
        backend,
        LimitSettings {
            submissions_per_minute: 2,
            sign_ins_per_minute: 2,
            client_address: ClientAddress::one_proxy(),
        },
    )
    .await;
    let mut statuses = Vec::new();
    for i in 0..3 {
        statuses
            .push(submit_via_proxy(&app, &format!("198.51.100.{i}"), "203.0.113.7", None).await);
    }
    assert_eq!(statuses, [201, 201, 429], "made-up addresses do not help");
    // Another member behind the same proxy has their own allowance; a
    // `Forwarded` header is not read unless configured.
    let mut statuses = Vec::new();
    for i in 0..3 {
        let forwarded = format!("for=192.0.2.{i}");
        statuses.push(submit_via_proxy(&app, "", "203.0.113.8", Some(&forwarded)).await);
    }
    assert_eq!(statuses, [201, 201, 429]);

    let mut statuses = Vec::new();
    for i in 0..3 {
        let r = app
            .anonymous
            .post(format!("{}/sign-in", app.address))
            .header("x-forwarded-for", format!("198.51.100.{i}, 203.0.113.7"))
            .form(&[("email", "x@example.org"), ("password", "guess")])
            .send()
            .await
            .expect("post");
        statuses.push(r.status().as_u16());
    }
    assert_eq!(statuses, [403, 403, 429], "no CSRF token, then too many");
}

async fn limits_read_forwarded_only_when_configured(backend: Backend) {
    let app = common::spawn_app_limited(
        backend,
        LimitSettings {
            submissions_per_minute: 2,
            sign_ins_per_minute: 0,
            client_address: ClientAddress::Forwarded {
                proxies: std::num::NonZeroUsize::MIN,
            },
        },
    )
    .await;
    let mut statuses = Vec::new();
    for i in 0..3 {
        // X-Forwarded-For is not read in this mode.
        let forwarded = format!("for=198.51.100.{i}, for=\"203.0.113.7:4711\"");
        statuses.push(
            submit_via_proxy(
                &app,
                &format!("192.0.2.{i}"),
                "192.0.2.99",
                Some(&forwarded),
            )
            .await,
        );
    }
    assert_eq!(statuses, [201, 201, 429]);
    let forwarded = "for=203.0.113.8;proto=https";
    assert_eq!(
        submit_via_proxy(&app, "", "192.0.2.99", Some(forwarded)).await,
        201
    );
}

on_both_backends!(
    sign_in_sends_back_only_to_a_path_on_this_site,
    an_unknown_address_waits_as_an_account_does,
    an_unknown_address_takes_as_long_as_a_known_one,
    limits_count_the_address_the_proxy_saw,
    limits_read_forwarded_only_when_configured,
);
