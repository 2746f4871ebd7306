use super::*;
use serde_json::json;

use crate::test_support::demo;

fn about() -> Map<String, Value> {
    json!({"stakeholder_group": "ccg", "region": "london", "role": "chair"})
        .as_object()
        .cloned()
        .unwrap_or_default()
}

fn with(extra: Value) -> Map<String, Value> {
    let mut m = about();
    if let Value::Object(e) = extra {
        m.extend(e);
    }
    m
}

fn fields(r: Result<Answers, Vec<FieldError>>) -> Vec<String> {
    r.err()
        .unwrap_or_default()
        .into_iter()
        .map(|e| e.field)
        .collect()
}

#[test]
fn a_minimal_response_is_valid() {
    let a = validate_response(&demo(), &about()).expect("valid");
    assert_eq!(a.len(), 3);
}

#[test]
fn every_problem_is_reported_not_just_the_first() {
    let raw = json!({
        "region": "atlantis",
        "q1": ["agree"],
        "q2": 3,
        "nope": "x",
        "role": null
    });
    let got = fields(validate_response(
        &demo(),
        raw.as_object().unwrap_or(&Map::new()),
    ));
    for f in ["nope", "region", "q1", "q2", "role", "stakeholder_group"] {
        assert!(got.contains(&f.to_string()), "{f} missing from {got:?}");
    }
}

#[test]
fn conditional_questions_apply_only_after_their_answer() {
    let c = demo();
    // q11_who is required only when q11 is definitely or probably.
    assert_eq!(
        fields(validate_response(&c, &with(json!({"q11": "definitely"})))),
        ["q11_who"]
    );
    assert!(validate_response(&c, &with(json!({"q11": "probably_not"}))).is_ok());
    // An answer to a follow-up whose condition is unmet is refused...
    assert_eq!(
        fields(validate_response(
            &c,
            &with(json!({"q11": "probably_not", "q11_who": "nhs"}))
        )),
        ["q11_who"]
    );
    // ...or dropped, in the web form's mode.
    let a = validate(
        &c,
        &with(json!({"q11": "probably_not", "q11_who": "nhs"})),
        None,
        &Answers::default(),
        Mode::DropInapplicable,
    )
    .expect("dropped, not refused");
    assert!(a.get("q11_who").is_none());
}

#[test]
fn text_length_counts_characters_not_bytes() {
    let c = demo();
    // organisation allows 200 characters; 200 two-byte characters fit.
    assert!(validate_response(&c, &with(json!({"organisation": "é".repeat(200)}))).is_ok());
    assert_eq!(
        fields(validate_response(
            &c,
            &with(json!({"organisation": "é".repeat(201)}))
        )),
        ["organisation"]
    );
    // Windows line ends count as one character each.
    let a = validate_response(&c, &with(json!({"q12": "a\r\nb"}))).expect("valid");
    assert_eq!(a.get("q12"), Some(&AnswerValue::Text("a\nb".into())));
}

#[test]
fn multiple_choice_is_canonical_and_rejects_repeats() {
    let c = demo();
    let a =
        validate_response(&c, &with(json!({"q5b": ["quality", "mental_health"]}))).expect("valid");
    let codes = match a.get("q5b") {
        Some(AnswerValue::Choices(cs)) => cs.iter().map(|c| c.to_string()).collect::<Vec<_>>(),
        other => panic!("unexpected {other:?}"),
    };
    assert_eq!(codes, ["mental_health", "quality"], "definition order");
    assert_eq!(
        fields(validate_response(
            &c,
            &with(json!({"q5b": ["quality", "quality"]}))
        )),
        ["q5b"]
    );
    assert_eq!(
        fields(validate_response(&c, &with(json!({"q5b": "quality"})))),
        ["q5b"]
    );
}

#[test]
fn email_format_is_checked() {
    let c = demo();
    assert!(validate_response(&c, &with(json!({"email": "a.b@example.org"}))).is_ok());
    assert_eq!(
        fields(validate_response(
            &c,
            &with(json!({"email": "not an email"}))
        )),
        ["email"]
    );
}

#[test]
fn equal_answers_hash_equally_whatever_the_order() {
    let c = demo();
    let a = validate_response(&c, &with(json!({"q5b": ["quality", "finances"]}))).expect("valid");
    let b = validate_response(&c, &with(json!({"q5b": ["finances", "quality"]}))).expect("valid");
    assert_eq!(
        a.content_hash().expect("hash"),
        b.content_hash().expect("hash")
    );
    let d = validate_response(&c, &with(json!({"q5b": ["finances"]}))).expect("valid");
    assert_ne!(
        a.content_hash().expect("hash"),
        d.content_hash().expect("hash")
    );
}

#[test]
fn a_section_is_checked_against_answers_given_earlier() {
    let c = demo();
    let ops = c.section_index("operating_model").expect("section");
    let raw = json!({"q11": "definitely", "q11_who": "joint_committee"});
    let a = validate(
        &c,
        raw.as_object().unwrap_or(&Map::new()),
        Some(&[ops]),
        &Answers::default(),
        Mode::Strict,
    )
    .expect("valid");
    assert_eq!(a.len(), 2);
    // A question from another section is refused in a section's form.
    let raw = json!({"q1": "agree"});
    let r = validate(
        &c,
        raw.as_object().unwrap_or(&Map::new()),
        Some(&[ops]),
        &Answers::default(),
        Mode::Strict,
    );
    assert_eq!(fields(r), ["q1"]);
}

#[test]
fn stored_answers_read_leniently_keep_a_lone_choice_and_drop_what_no_longer_fits() {
    let c = demo();
    // A member may not send one code for a multiple choice (above), but a
    // stored document may hold one, and it reads as that one option.
    let a = from_json_lenient(
        &c,
        &with(json!({"q5b": "quality", "q1": "no_such_option", "gone": "x"})),
    );
    assert_eq!(
        a.get("q5b"),
        Some(&AnswerValue::Choices(vec![
            OptionCode::parse("quality").expect("code")
        ]))
    );
    assert_eq!(a.get("q1"), None);
    assert_eq!(a.len(), 4);
}
