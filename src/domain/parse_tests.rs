use super::*;

fn errors(text: &str) -> Vec<String> {
    Consultation::from_json(text)
        .err()
        .unwrap_or_default()
        .iter()
        .map(|e| e.to_string())
        .collect()
}

#[test]
fn the_demo_definition_is_valid() {
    let c = Consultation::from_json(crate::test_support::DEMO).expect("valid");
    assert_eq!(c.slug.as_str(), "next-steps-for-system-working");
    for id in [
        "q1",
        "q5a",
        "q5d",
        "q8_why",
        "q13",
        "stakeholder_group",
        "region",
        "role",
        "organisation",
        "email",
    ] {
        assert!(c.question(id).is_some(), "{id}");
    }
    assert_eq!(
        c.question("stakeholder_group").map(|q| q.options().len()),
        Some(9)
    );
    assert_eq!(c.question("region").map(|q| q.options().len()), Some(7));
    assert_eq!(
        c.question("email").map(|q| q.privacy),
        Some(Privacy::Identifier)
    );
    assert_eq!(
        c.question("region").map(|q| q.privacy),
        Some(Privacy::QuasiIdentifier)
    );
}

#[test]
fn every_error_is_listed_with_its_place() {
    let text = r#"{
      "slug": "Bad Slug", "title": "",
      "sections": [
        {"id": "a", "title": "A", "questions": [
          {"id": "q1", "kind": "single_choice", "text": "One?", "options": [
            {"code": "yes", "label": "Yes"}, {"code": "yes", "label": "Again"}]},
          {"id": "q1", "kind": "free_text", "text": "Dup", "max_length": 10},
          {"id": "q2", "kind": "free_text", "text": "Why?", "max_length": 10,
           "condition": {"question": "q9", "any_of": ["yes"]}},
          {"id": "q3", "kind": "free_text", "text": "Later?", "max_length": 10,
           "condition": {"question": "q4", "any_of": ["x"]}},
          {"id": "q4", "kind": "single_choice", "text": "Four", "options": [
            {"code": "x", "label": "X"}, {"code": "y", "label": "Y"}]},
          {"id": "q5", "kind": "free_text", "text": "No max"},
          {"id": "q6", "kind": "dropdown", "text": "Kind?"},
          {"id": "q7", "kind": "free_text", "text": "Cond on text", "max_length": 5,
           "condition": {"question": "q5", "any_of": ["a"]}},
          {"id": "q8", "kind": "single_choice", "text": "Cond code", "options": [
            {"code": "a", "label": "A"}, {"code": "b", "label": "B"}],
           "condition": {"question": "q4", "any_of": ["zzz"]}}
        ]}
      ]
    }"#;
    let errs = errors(text);
    let expect = [
        "slug: 'Bad Slug' is not a valid slug",
        "title: must not be empty",
        "sections[0].questions[0].options[1].code: option code 'yes' is used twice",
        "sections[0].questions[1].id: duplicate question id 'q1'",
        "sections[0].questions[2].condition.question: depends on unknown question 'q9'",
        "sections[0].questions[3].condition.question: depends on 'q4', which comes later",
        "sections[0].questions[5].max_length: free-text questions need a maximum length",
        "sections[0].questions[6].kind: unknown kind 'dropdown'",
        "sections[0].questions[7].condition.question: 'q5' is a free-text question",
        "sections[0].questions[8].condition.any_of[0]: 'zzz' is not an option of 'q4'",
    ];
    for e in expect {
        assert!(
            errs.iter().any(|x| x.starts_with(e)),
            "missing {e:?} in {errs:#?}"
        );
    }
    assert_eq!(errs.len(), expect.len(), "{errs:#?}");
}

#[test]
fn json_syntax_errors_say_where() {
    let errs = errors("{\n  \"slug\": ");
    assert_eq!(errs.len(), 1);
    assert!(errs[0].starts_with("line 2, column"), "{errs:?}");
}

#[test]
fn unknown_fields_are_refused() {
    let errs = errors(r#"{"slug": "a", "title": "A", "sections": [], "colour": "red"}"#);
    assert!(errs[0].contains("unknown field `colour`"), "{errs:?}");
}

#[test]
fn opening_times_must_be_in_order() {
    let text = r#"{"slug": "a", "title": "A", "opens_at": "2026-02-01T00:00:00Z", "closes_at": "2026-01-01T00:00:00Z",
      "sections": [{"id": "s", "title": "S", "questions": [{"id": "q", "kind": "free_text", "text": "T", "max_length": 5}]}]}"#;
    assert_eq!(errors(text), ["closes_at: must be later than opens_at"]);
}

#[test]
fn headlines_name_a_category_of_a_single_choice_question() {
    let text = r#"{
      "slug": "h", "title": "H",
      "sections": [{"id": "a", "title": "A", "questions": [
        {"id": "q1", "kind": "single_choice", "text": "One?",
         "options": [{"code": "yes", "label": "Yes"}, {"code": "no", "label": "No"}],
         "headline": {"category": "maybe", "text": "say maybe"}},
        {"id": "q2", "kind": "multiple_choice", "text": "Two?",
         "options": [{"code": "a", "label": "A"}],
         "headline": {"category": "a", "text": "chose a"}},
        {"id": "q3", "kind": "single_choice", "text": "Three?",
         "options": [{"code": "yes", "label": "Yes"}, {"code": "no", "label": "No"}],
         "headline": {"category": "yes", "text": ""}}
      ]}]
    }"#;
    let errs = errors(text);
    for e in [
        "sections[0].questions[0].headline.category: 'maybe' is neither an option nor a combined category",
        "sections[0].questions[1].headline: headlines are for single-choice questions",
        "sections[0].questions[2].headline.text: must not be empty",
    ] {
        assert!(
            errs.iter().any(|x| x.starts_with(e)),
            "missing {e:?} in {errs:#?}"
        );
    }
}

#[test]
fn nul_is_refused_wherever_it_is_and_named_by_its_path() {
    let demo = crate::test_support::DEMO;
    let mut v: serde_json::Value = serde_json::from_str(demo).expect("json");
    v["title"] = "Next\u{0}steps".into();
    v["sections"][1]["questions"][0]["text"] = "Do you\u{0} agree?".into();
    let found = errors(&v.to_string());
    assert!(
        found.contains(&"title: must not contain the NUL character (U+0000)".to_owned()),
        "{found:?}"
    );
    assert!(
        found.contains(
            &"sections[1].questions[0].text: must not contain the NUL character (U+0000)"
                .to_owned()
        ),
        "{found:?}"
    );
}

#[test]
fn a_leading_byte_order_mark_is_skipped() {
    let demo = crate::test_support::DEMO;
    let c = Consultation::from_json(&format!("\u{feff}{demo}")).expect("valid");
    assert_eq!(c.slug.as_str(), "next-steps-for-system-working");
}
