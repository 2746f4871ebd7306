//! Who reaches what: every guarded route against every role, signed out, a
//! revoked token and a disabled account; plus the audit of identified data,
//! the sign-in flow and the security headers.
mod common;

use common::matrix::{Need, WHO, Who, expected, pattern_of};
use common::{Account, Backend, SLUG, create_user, run_cli, spawn_app};

async fn every_route_answers_each_role_as_it_should(backend: Backend) {
    let app = spawn_app(backend).await;
    let url = app.db.url.clone();
    let researcher = create_user(&url, "researcher@example.org", "researcher");
    let staff = create_user(&url, "staff@example.org", "staff");
    let revoked: Account = create_user(&url, "gone@example.org", "admin");
    let (ok, _, err) = run_cli(&[
        "--database",
        &url,
        "users",
        "revoke-token",
        "--email",
        "gone@example.org",
    ]);
    assert!(ok, "{err}");
    let client = |who: Who| match who {
        Who::Nobody => common::client(),
        Who::Researcher => common::authed_client(&researcher.token),
        Who::Staff => common::authed_client(&staff.token),
        Who::Admin => common::authed_client(&app.admin_token),
        Who::Revoked => common::authed_client(&revoked.token),
    };
    let c = format!("/api/consultations/{SLUG}");
    let routes: Vec<(String, Need, bool)> = vec![
        ("/api/consultations".into(), Need::Public, false),
        (c.clone(), Need::Public, false),
        ("/api/openapi.json".into(), Need::Public, false),
        ("/".into(), Need::Public, true),
        (format!("/consultations/{SLUG}"), Need::Public, true),
        ("/sign-in".into(), Need::Public, true),
        ("/sign-out".into(), Need::Public, true),
        (format!("/consultations/{SLUG}/start"), Need::Redirect, true),
        (format!("{c}/results"), Need::Staff, false),
        (format!("{c}/breakdown?question=q1"), Need::Staff, false),
        (format!("{c}/breakdown.csv?question=q1"), Need::Staff, false),
        (format!("{c}/charts/q1.svg"), Need::Staff, false),
        (format!("{c}/charts/q1.png"), Need::Staff, false),
        (format!("{c}/headlines"), Need::Staff, false),
        (format!("{c}/export?format=csv"), Need::Research, false),
        (
            format!("{c}/export?format=datapackage"),
            Need::Research,
            false,
        ),
        (format!("{c}/export/disclosure"), Need::Research, false),
        (
            format!("{c}/export?format=csv&identified=true"),
            Need::Admin,
            false,
        ),
        (
            format!("{c}/export/disclosure?identified=true"),
            Need::Admin,
            false,
        ),
        (format!("{c}/questions/q3/answers"), Need::Staff, false),
        (format!("{c}/questions/q3/themes"), Need::Staff, false),
        (
            format!("{c}/questions/q3/answers/{}/history", uuid::Uuid::nil()),
            Need::Staff,
            false,
        ),
        ("/staff".into(), Need::Staff, true),
        (format!("/staff/{SLUG}"), Need::Staff, true),
        (format!("/staff/{SLUG}/questions/q1"), Need::Staff, true),
        ("/research".into(), Need::Research, true),
        ("/staff/audit".into(), Need::Admin, true),
    ];
    let mut wrong = Vec::new();
    for who in WHO {
        let client = client(who);
        for (path, need, page) in &routes {
            let r = client
                .get(format!("{}{path}", app.address))
                .send()
                .await
                .expect("get");
            let status = r.status().as_u16();
            let want = expected(*need, who, *page);
            if status != want {
                wrong.push(format!("{who:?} GET {path}: {status}, expected {want}"));
            }
            if want == 303 && !matches!(need, Need::Redirect) {
                let location = r.headers()["location"]
                    .to_str()
                    .unwrap_or_default()
                    .to_owned();
                if !location.starts_with("/sign-in?next=") {
                    wrong.push(format!("{who:?} GET {path}: redirected to {location}"));
                }
            }
            if want == 401 && !r.headers().contains_key("www-authenticate") {
                wrong.push(format!("{who:?} GET {path}: 401 without WWW-Authenticate"));
            }
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));

    // The matrix covers every GET route the service has, but for a
    // member's private-link pages, which no role opens (below).
    let tried: Vec<&str> = routes
        .iter()
        .filter_map(|(path, _, _)| pattern_of(path.split('?').next().unwrap_or(path)))
        .collect();
    for (pattern, methods) in consult::web::routes::TABLE {
        if methods.contains(&"GET") && !pattern.contains("{token}") {
            assert!(
                tried.contains(pattern),
                "GET {pattern} is missing from the access matrix"
            );
        }
    }

    // A disabled account's token stops working.
    let (ok, _, err) = run_cli(&[
        "--database",
        &url,
        "users",
        "disable",
        "--email",
        "staff@example.org",
    ]);
    assert!(ok, "{err}");
    let r = common::authed_client(&staff.token)
        .get(format!("{}{c}/results", app.address))
        .send()
        .await
        .expect("get");
    assert_eq!(r.status(), 401);
}

async fn identified_downloads_are_audited(backend: Backend) {
    let app = spawn_app(backend).await;
    let store = app.store();
    assert!(store.audit_entries(10).expect("audit").is_empty());
    let r = app
        .client
        .get(format!(
            "{}/api/consultations/{SLUG}/export?format=csv&identified=true",
            app.address
        ))
        .send()
        .await
        .expect("get");
    assert_eq!(r.status(), 200);
    let anonymised = app
        .client
        .get(format!(
            "{}/api/consultations/{SLUG}/export?format=csv",
            app.address
        ))
        .send()
        .await
        .expect("get");
    assert_eq!(anonymised.status(), 200);
    let entries = store.audit_entries(10).expect("audit");
    assert_eq!(
        entries.len(),
        1,
        "only identified data is audited: {entries:?}"
    );
    assert_eq!(entries[0].email.as_deref(), Some("admin@example.org"));
    assert_eq!(entries[0].action, "identified_export");
    assert!(entries[0].detail.contains("identified=true"));
    let (_, page) = common::fetch(&app.client, &format!("{}/staff/audit", app.address)).await;
    assert!(page.contains("identified_export") && page.contains("admin@example.org"));
}

async fn staff_sign_in_and_out(backend: Backend) {
    let app = spawn_app(backend).await;
    let staff = create_user(&app.db.url, "policy@example.org", "staff");
    let browser = common::client();
    let (_, html) = common::fetch(&browser, &format!("{}/sign-in?next=/staff", app.address)).await;
    let csrf = common::csrf(&html);
    let post = |fields: Vec<(&'static str, String)>| {
        browser
            .post(format!("{}/sign-in", app.address))
            .form(&fields)
            .send()
    };
    // Without the CSRF token: 403.
    let r = post(vec![
        ("email", staff.email.clone()),
        ("password", staff.password.clone()),
    ])
    .await
    .expect("post");
    assert_eq!(r.status(), 403);
    // Wrong password: the form again with an error summary, signed out.
    let r = post(vec![
        ("csrf_token", csrf.clone()),
        ("email", staff.email.clone()),
        ("password", "wrong".into()),
        ("next", "/staff".into()),
    ])
    .await
    .expect("post");
    assert_eq!(r.status(), 401);
    assert!(
        r.text()
            .await
            .unwrap_or_default()
            .contains("The email address or password is not right")
    );
    // Right: a session cookie, and back where we were going (never off-site).
    let r = post(vec![
        ("csrf_token", csrf.clone()),
        ("email", staff.email.clone()),
        ("password", staff.password.clone()),
        ("next", "//evil.example/x".into()),
    ])
    .await
    .expect("post");
    assert_eq!(r.status(), 303);
    assert_eq!(r.headers()["location"], "/staff");
    let cookie = r.headers()["set-cookie"]
        .to_str()
        .unwrap_or_default()
        .to_owned();
    assert!(cookie.starts_with("consult_session="), "{cookie}");
    assert!(
        cookie.contains("HttpOnly")
            && cookie.contains("SameSite=Lax")
            && cookie.contains("Max-Age=28800")
    );
    let signed_in = browser
        .get(format!("{}/staff", app.address))
        .send()
        .await
        .expect("get");
    assert_eq!(signed_in.status(), 200);
    let r = browser
        .post(format!("{}/sign-out", app.address))
        .form(&[("csrf_token", csrf.as_str())])
        .send()
        .await
        .expect("post");
    assert_eq!(r.status(), 303);
    let after = browser
        .get(format!("{}/staff", app.address))
        .send()
        .await
        .expect("get");
    assert_eq!(after.status(), 303, "the session ended");
}

async fn every_response_carries_the_security_headers(backend: Backend) {
    let app = spawn_app(backend).await;
    for path in ["/", "/api/consultations", "/sign-in", "/static/app.css"] {
        let r = app
            .anonymous
            .get(format!("{}{path}", app.address))
            .send()
            .await
            .expect("get");
        let h = r.headers();
        let csp = h["content-security-policy"].to_str().unwrap_or_default();
        assert!(
            csp.contains("script-src 'self'") && csp.contains("frame-ancestors 'none'"),
            "{path}: {csp}"
        );
        assert!(!csp.contains("unsafe-inline"));
        assert_eq!(h["x-content-type-options"], "nosniff", "{path}");
        assert_eq!(h["referrer-policy"], "same-origin", "{path}");
    }
}

on_both_backends!(
    every_route_answers_each_role_as_it_should,
    identified_downloads_are_audited,
    staff_sign_in_and_out,
    every_response_carries_the_security_headers,
);
