//! The routes, the OpenAPI document and the guards agree, for reading and
//! for every route that changes something.
mod common;

use common::matrix::{Need, Who, expected, pattern_of};
use common::{Backend, SLUG, create_user, spawn_app};

/// The routes, the OpenAPI document and the guards agree: every API route
/// is documented as it is served; private-link pages open only with their
/// link; nothing that writes answers 2xx to a stranger's empty request.
async fn every_route_is_documented_and_guarded(backend: Backend) {
    let app = spawn_app(backend).await;
    let doc: serde_json::Value = app
        .anonymous
        .get(format!("{}/api/openapi.json", app.address))
        .send()
        .await
        .expect("get")
        .json()
        .await
        .expect("json");
    let mut documented: Vec<(String, String)> = Vec::new();
    for (path, ops) in doc["paths"].as_object().expect("paths") {
        for method in ops.as_object().expect("operations").keys() {
            documented.push((path.clone(), method.to_uppercase()));
        }
    }
    let mut served: Vec<(String, String)> = Vec::new();
    for (pattern, methods) in consult::web::routes::TABLE {
        if pattern.starts_with("/api/") {
            served.extend(methods.iter().map(|m| (pattern.to_string(), m.to_string())));
        }
    }
    documented.sort();
    served.sort();
    assert_eq!(
        documented, served,
        "the OpenAPI document and the routes differ"
    );

    let anonymous = common::client();
    let concrete = |pattern: &str| {
        pattern
            .replace("{slug}", SLUG)
            .replace("{token}", &"a".repeat(43))
            .replace("{section}", "about")
            .replace("{question}", "q1")
            .replace("{file}", "q1.svg")
            .replace("{response}", &uuid::Uuid::nil().to_string())
            .replace("{id}", "1")
            .replace("{theme}", "1")
    };
    for (pattern, methods) in consult::web::routes::TABLE {
        let url = format!("{}{}", app.address, concrete(pattern));
        if pattern.contains("{token}") && methods.contains(&"GET") {
            let status = anonymous.get(&url).send().await.expect("get").status();
            assert_eq!(status, 404, "GET {pattern} with a link that is no one's");
        }
        for method in methods.iter().filter(|m| **m != "GET") {
            let method = reqwest::Method::from_bytes(method.as_bytes()).expect("a method");
            let status = anonymous
                .request(method.clone(), &url)
                .send()
                .await
                .expect("sent")
                .status();
            assert!(
                status.is_client_error(),
                "{method} {pattern} from a stranger with nothing: {status}"
            );
        }
    }
}

/// Every API route that changes something, against every role: signed
/// out 401, a role without the right 403, and past the guard for the
/// others (whatever the empty body then earns).
async fn every_change_answers_each_role_as_it_should(backend: Backend) {
    let app = spawn_app(backend).await;
    let url = app.db.url.clone();
    let researcher = create_user(&url, "researcher@example.org", "researcher");
    let staff = create_user(&url, "staff@example.org", "staff");
    let c = format!("/api/consultations/{SLUG}");
    let q = format!("{c}/questions/q3");
    let r = uuid::Uuid::nil();
    let changes: Vec<(&str, String, Need)> = vec![
        ("POST", format!("{c}/open"), Need::Admin),
        ("POST", format!("{c}/close"), Need::Admin),
        ("POST", format!("{q}/themes"), Need::Staff),
        ("PATCH", format!("{q}/themes/1"), Need::Staff),
        ("DELETE", format!("{q}/themes/1"), Need::Staff),
        ("POST", format!("{q}/themes/1/merge"), Need::Staff),
        ("PUT", format!("{q}/answers/{r}/themes"), Need::Staff),
        ("PUT", format!("{q}/answers/{r}/quotes/1"), Need::Staff),
        ("DELETE", format!("{q}/answers/{r}/quotes/1"), Need::Staff),
    ];
    let mut wrong = Vec::new();
    for who in [Who::Nobody, Who::Researcher, Who::Staff, Who::Admin] {
        let client = match who {
            Who::Researcher => common::authed_client(&researcher.token),
            Who::Staff => common::authed_client(&staff.token),
            Who::Admin => common::authed_client(&app.admin_token),
            _ => common::client(),
        };
        for (method, path, need) in &changes {
            let m = reqwest::Method::from_bytes(method.as_bytes()).expect("a method");
            let status = client
                .request(m, format!("{}{path}", app.address))
                .header("content-type", "application/json")
                .body("{}")
                .send()
                .await
                .expect("sent")
                .status()
                .as_u16();
            let want = expected(*need, who, false);
            let ok = match want {
                200 => status != 401 && status != 403,
                w => status == w,
            };
            if !ok {
                wrong.push(format!(
                    "{who:?} {method} {path}: {status}, expected {want}"
                ));
            }
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
    // Every API route that changes something is above, but a member's
    // submission, which anyone may make.
    for (pattern, methods) in consult::web::routes::TABLE {
        for m in methods.iter().filter(|m| **m != "GET") {
            if pattern.starts_with("/api/") && !pattern.ends_with("/responses") {
                let listed = changes
                    .iter()
                    .any(|(method, path, _)| method == m && pattern_of(path) == Some(*pattern));
                assert!(listed, "{m} {pattern} is missing from the access matrix");
            }
        }
    }
}

on_both_backends!(
    every_route_is_documented_and_guarded,
    every_change_answers_each_role_as_it_should,
);
