//! A member in the web survey: the form posts and pages behind one
//! private link, as a browser without the script sends them.
use super::{SLUG, TestApp, csrf};
use reqwest::Response;

pub fn location(r: &Response) -> String {
    assert_eq!(r.status(), 303, "expected a redirect");
    r.headers()["location"]
        .to_str()
        .expect("location")
        .to_owned()
}

pub struct Member<'a> {
    pub app: &'a TestApp,
    pub token: String,
    pub base: String,
}

impl Member<'_> {
    pub async fn post(&self, path: &str, fields: &[(&str, &str)]) -> Response {
        let mut form: Vec<(&str, &str)> = vec![("csrf_token", &self.token)];
        form.extend_from_slice(fields);
        self.app
            .client
            .post(format!("{}{path}", self.app.address))
            .form(&form)
            .send()
            .await
            .expect("post")
    }
    pub async fn get(&self, path: &str) -> (u16, String) {
        let r = self
            .app
            .client
            .get(format!("{}{path}", self.app.address))
            .send()
            .await
            .expect("get");
        (r.status().as_u16(), r.text().await.expect("text"))
    }
}

/// Starts a draft from the start page; the member is on its first section.
pub async fn start_draft(app: &TestApp) -> Member<'_> {
    let html = app
        .client
        .get(format!("{}/consultations/{SLUG}", app.address))
        .send()
        .await
        .expect("get")
        .text()
        .await
        .expect("text");
    assert!(html.contains("Next steps for system working"));
    let token = csrf(&html);
    let r = app
        .client
        .post(format!("{}/consultations/{SLUG}/start", app.address))
        .form(&[("csrf_token", &token)])
        .send()
        .await
        .expect("post");
    let first = location(&r);
    assert!(first.ends_with("/sections/about"), "{first}");
    let base = first.trim_end_matches("/sections/about").to_owned();
    Member { app, token, base }
}
