//! Limits on how often one address may submit or sign in, and the wait an
//! account is made to keep after wrong passwords.
mod common;

use common::{Backend, SLUG, create_user, spawn_app};

async fn too_many_submissions_or_sign_ins_get_429(backend: Backend) {
    let app = common::spawn_app_limited(
        backend,
        consult::web::limits::LimitSettings {
            submissions_per_minute: 3,
            sign_ins_per_minute: 2,
            client_address: consult::web::client_address::ClientAddress::Peer,
        },
    )
    .await;
    for i in 0..3 {
        let (status, _) = common::submit(
            &app.anonymous,
            &app.address,
            &common::varied_answers(i),
            None,
        )
        .await;
        assert_eq!(status, 201);
    }
    let r = app
        .anonymous
        .post(format!(
            "{}/api/consultations/{SLUG}/responses",
            app.address
        ))
        .json(&serde_json::json!({"answers": common::valid_answers()}))
        .send()
        .await
        .expect("post");
    assert_eq!(r.status(), 429);
    let wait: u64 = r.headers()["retry-after"]
        .to_str()
        .unwrap_or("0")
        .parse()
        .unwrap_or(0);
    assert!((1..=60).contains(&wait), "{wait}");
    assert_eq!(app.stored_count(), 3);

    let sign_in = |password: &'static str| {
        app.anonymous
            .post(format!("{}/sign-in", app.address))
            .form(&[("email", "x@example.org"), ("password", password)])
            .send()
    };
    // Counted before the form is read: the third attempt in the minute is refused.
    assert_eq!(
        sign_in("a").await.expect("post").status(),
        403,
        "no CSRF token"
    );
    assert_eq!(sign_in("b").await.expect("post").status(), 403);
    let r = sign_in("c").await.expect("post");
    assert_eq!(r.status(), 429);
    assert!(r.headers().contains_key("retry-after"));
}

async fn repeated_wrong_passwords_make_the_account_wait(backend: Backend) {
    let app = spawn_app(backend).await;
    let staff = create_user(&app.db.url, "policy@example.org", "staff");
    let browser = common::client();
    let (_, html) = common::fetch(&browser, &format!("{}/sign-in", app.address)).await;
    let csrf = common::csrf(&html);
    let attempt = |password: String| {
        browser
            .post(format!("{}/sign-in", app.address))
            .form(&[
                ("csrf_token", csrf.clone()),
                ("email", staff.email.clone()),
                ("password", password),
            ])
            .send()
    };
    for _ in 0..3 {
        assert_eq!(attempt("wrong".into()).await.expect("post").status(), 401);
    }
    // The third failure makes the account wait: even the right password.
    let r = attempt(staff.password.clone()).await.expect("post");
    assert_eq!(r.status(), 429);
    assert!(r.headers().contains_key("retry-after"));
}

on_both_backends!(
    too_many_submissions_or_sign_ins_get_429,
    repeated_wrong_passwords_make_the_account_wait,
);
