//! What the coding tests share: the API's coding routes and six responses.
use super::*;
use serde_json::{Value, json};

pub fn url(app: &TestApp, rest: &str) -> String {
    format!("{}/api/consultations/{SLUG}/questions/{rest}", app.address)
}

pub async fn send(req: reqwest::RequestBuilder) -> (u16, Value) {
    let r = req.send().await.expect("request sent");
    let status = r.status().as_u16();
    let text = r.text().await.unwrap_or_default();
    (status, serde_json::from_str(&text).unwrap_or(Value::Null))
}

pub async fn theme(app: &TestApp, q: &str, label: &str) -> u64 {
    let (status, body) = send(
        app.client
            .post(url(app, &format!("{q}/themes")))
            .json(&json!({ "label": label, "description": format!("{label}, in any words") })),
    )
    .await;
    assert_eq!(status, 201, "{body}");
    body["id"].as_u64().expect("an id")
}

pub async fn code(app: &TestApp, q: &str, response: &str, themes: &[u64]) -> (u16, Value) {
    send(
        app.client
            .put(url(app, &format!("{q}/answers/{response}/themes")))
            .json(&json!({ "themes": themes })),
    )
    .await
}

/// Six responses: groups acute, ccg, pcn, acute, ccg, pcn; the fifth
/// leaves q3 blank (spaces only), the sixth leaves it out. Returns the ids.
pub async fn six(app: &TestApp) -> Vec<String> {
    let mut ids = Vec::new();
    for i in 0..6 {
        let mut a = varied_answers(i);
        match i {
            4 => a["q3"] = json!("   "),
            5 => {
                a.as_object_mut().map(|m| m.remove("q3"));
            }
            _ => a["q3"] = json!(format!("Answer {i}: finance and workforce.")),
        }
        let (status, body) = submit(&app.client, &app.address, &a, None).await;
        assert_eq!(status, 201, "{body}");
        ids.push(body["id"].as_str().expect("id").to_owned());
    }
    ids
}
