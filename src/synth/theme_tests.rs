//! Themed free text: the profile's themes, and the demo codebook coding
//! generated answers exactly as the generator wrote them.
use super::*;
use crate::domain::Privacy;
use crate::test_support::{DEMO_RESPONSES, demo_with_codebook};
use std::collections::{BTreeMap, BTreeSet};

/// How many answers to `question` carry each theme, by the codebook.
fn coded_counts<'a>(
    book: &'a DemoCodebook,
    question: &str,
    texts: impl Iterator<Item = &'a str>,
) -> BTreeMap<&'a str, usize> {
    let themes = &book.questions[question];
    let mut out = BTreeMap::new();
    for text in texts {
        for i in book.themes_of(question, text) {
            *out.entry(themes[i].label.as_str()).or_default() += 1;
        }
    }
    out
}

fn most_common<'a>(counts: &BTreeMap<&'a str, usize>) -> &'a str {
    counts
        .iter()
        .max_by_key(|(_, n)| **n)
        .map(|(label, _)| *label)
        .unwrap_or_default()
}

fn text_of<'a>(answers: &'a Answers, question: &str) -> Option<&'a str> {
    match answers.get(question) {
        Some(AnswerValue::Text(t)) => Some(t.as_str()),
        _ => None,
    }
}

#[test]
fn the_codebook_codes_every_themed_question_with_the_profiles_labels() {
    let (c, p, book) = demo_with_codebook();
    for q in c.questions() {
        let free = matches!(q.kind, QuestionKind::FreeText { .. });
        let personal = q.privacy == Privacy::Identifier;
        let coded = book.questions.get(q.id.as_str());
        assert_eq!(coded.is_some(), free && !personal, "{}", q.id);
        let Some(coded) = coded else { continue };
        let themes = &p.questions[q.id.as_str()].themes;
        let profile: Vec<&str> = themes.iter().map(|t| t.label.as_str()).collect();
        let codebook: Vec<&str> = coded.iter().map(|t| t.label.as_str()).collect();
        assert_eq!(profile, codebook, "{}", q.id);
        assert!((3..=7).contains(&themes.len()), "{}", q.id);
    }
}

#[test]
fn every_wording_holds_its_own_phrases_and_no_others() {
    // Every wording, with every place, as it opens an answer and as a
    // second point (lower-cased): not only those a sample happens to draw.
    let (_, p, book) = demo_with_codebook();
    for (question, coded) in &book.questions {
        for (k, theme) in p.questions[question.as_str()].themes.iter().enumerate() {
            for wording in &theme.texts {
                for place in &p.places {
                    let text = wording.replace("{place}", place);
                    let lower = text[..1].to_lowercase() + &text[1..];
                    for form in [&text, &lower] {
                        assert_eq!(
                            book.themes_of(question, form),
                            [k],
                            "{question}, '{}': {form}",
                            coded[k].label
                        );
                    }
                }
            }
        }
    }
}

#[test]
fn generated_answers_are_coded_with_the_themes_they_were_written_with() {
    let (c, p, book) = demo_with_codebook();
    let people = generate_answers(&c, &p, 2020, 2000);
    let (mut answers, mut with_two) = (0, 0);
    for g in &people {
        let written: BTreeMap<&str, &[usize]> = g
            .themes
            .iter()
            .map(|(q, t)| (q.as_str(), t.as_slice()))
            .collect();
        for (question, coded) in &book.questions {
            let recorded = written.get(question.as_str());
            let Some(text) = text_of(&g.answers, question).filter(|t| !t.is_empty()) else {
                assert!(recorded.is_none(), "{question}: themes without an answer");
                continue;
            };
            answers += 1;
            let found = book.themes_of(question, text);
            assert!(!found.is_empty(), "{question}: no theme found in {text:?}");
            let profile = &p.questions[question.as_str()].themes;
            let by_generator: BTreeSet<&str> = recorded
                .copied()
                .unwrap_or_default()
                .iter()
                .map(|&i| profile[i].label.as_str())
                .collect();
            let by_codebook: BTreeSet<&str> =
                found.iter().map(|&i| coded[i].label.as_str()).collect();
            assert_eq!(by_generator, by_codebook, "{question}: {text:?}");
            if found.len() == 2 {
                with_two += 1;
            }
        }
    }
    assert!(answers > 5000, "{answers}");
    // One theme usually, sometimes two.
    assert!(
        with_two > answers / 20 && with_two < answers / 4,
        "{with_two} of {answers}"
    );
}

#[test]
fn allocation_of_finance_and_resources_is_the_commonest_change_to_the_purposes() {
    let (c, p, book) = demo_with_codebook();
    let people = generate_answers(&c, &p, 7, 2000);
    let counts = coded_counts(
        &book,
        "q1_why",
        people.iter().filter_map(|g| text_of(&g.answers, "q1_why")),
    );
    assert_eq!(
        most_common(&counts),
        "Allocation of finance and resources",
        "{counts:?}"
    );
    // And so in the shipped demo responses too.
    let shipped: serde_json::Value =
        serde_json::from_str(DEMO_RESPONSES).unwrap_or_else(|e| panic!("{e}"));
    let texts = shipped["responses"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|r| r["answers"]["q1_why"].as_str());
    let counts = coded_counts(&book, "q1_why", texts);
    assert_eq!(
        most_common(&counts),
        "Allocation of finance and resources",
        "{counts:?}"
    );
}

#[test]
fn reasons_differ_with_the_answer_they_follow_up() {
    let (c, p, book) = demo_with_codebook();
    let people = generate_answers(&c, &p, 2020, 2000);
    let reasons = |view: &str| {
        let texts = people.iter().filter_map(|g| match g.answers.get("q8") {
            Some(AnswerValue::Choice(v)) if v.as_str() == view => text_of(&g.answers, "q8_why"),
            _ => None,
        });
        most_common(&coded_counts(&book, "q8_why", texts))
    };
    assert_eq!(reasons("remain"), "Freedoms support quality and innovation");
    assert_eq!(reasons("tweak"), "A duty to collaborate with the system");
    assert_eq!(reasons("abolish"), "Autonomy conflicts with system working");
}

#[test]
fn the_shipped_responses_are_what_the_generator_makes() {
    // The fixture is regenerated, not edited: seed 2020 at the profile's size.
    let (c, p, _) = demo_with_codebook();
    let made = serde_json::to_string_pretty(&generate(&c, &p, 2020, None)).unwrap_or_default();
    assert!(
        made + "\n" == DEMO_RESPONSES,
        "fixtures/responses is stale: run `consult fixtures generate --seed 2020 --out fixtures/responses/next-steps-for-system-working.json`"
    );
}

#[test]
fn theme_problems_are_all_listed() {
    let (c, _) = crate::test_support::demo_with_profile();
    let long = "x".repeat(81);
    let bad = format!(
        r#"{{"consultation": "next-steps-for-system-working", "description": "x", "responses": 1,
        "period": {{"from": "2020-08-01T00:00:00Z", "to": "2020-09-01T00:00:00Z"}},
        "questions": {{
          "q1": {{"counts": {{"agree": 1}}, "themes": [{{"label": "a", "description": "b", "weight": 1, "texts": ["c"]}}]}},
          "q3": {{"texts": ["t"], "second_theme": 1.5, "themes": [
            {{"label": "{long}", "description": "d", "weight": 1, "texts": ["e"]}},
            {{"label": "Same", "description": "", "weight": -1, "weight_by": {{"nope": 1}}, "texts": []}},
            {{"label": "Same", "description": "d", "weight": 1, "texts": [" "]}}]}},
          "q5a": {{"themes_by": "q13", "themes": [{{"label": "a", "description": "b", "weight": 1, "texts": ["c"]}}]}},
          "q12": {{"themes": [{{"label": "a", "description": "b", "weight": 1, "weight_by": {{"ccg": 2}}, "texts": ["c"]}}]}},
          "q13_why": {{"themes": [{{"label": "a", "description": "b", "weight": 1, "weight_by": {{"dont_know": 0}}, "texts": ["c"]}}]}}
        }}}}"#
    );
    let errors = Profile::from_json(&bad, &c).err().unwrap_or_default();
    for expected in [
        "questions.q1.themes: only free-text questions have themes",
        "questions.q3: give texts or themes, not both",
        "questions.q3.second_theme: a share is between 0 and 1",
        "questions.q3.themes[0].label: 1 to 80 characters",
        "questions.q3.themes[1].description: must not be empty",
        "questions.q3.themes[1].weight: a weight is 0 or more",
        "questions.q3.themes[1].weight_by.nope: not an option of 'q2'",
        "questions.q3.themes[1].texts: needs at least one text",
        "questions.q3.themes[2].label: 'Same' is used twice in this question",
        "questions.q3.themes[2].texts[0]: must not be empty",
        "questions.q5a.themes_by: 'q13' is not a single-choice question before 'q5a'",
        "questions.q12.themes[0].weight_by.ccg: no themes_by",
        "questions.q13_why.themes: every weight is 0 for those who answered 'dont_know'",
    ] {
        assert!(
            errors.iter().any(|e| e.starts_with(expected)),
            "{expected} missing from {errors:?}"
        );
    }
}

#[test]
fn codebook_problems_are_all_listed() {
    let (c, _) = crate::test_support::demo_with_profile();
    let bad = r#"{"consultation": "other", "questions": {
        "nope": [], "q1": [], "email": [{"label": "a", "description": "b", "phrases": ["c"]}],
        "q3": [], "q12": [
          {"label": "", "description": "", "phrases": []},
          {"label": "Same", "description": "d", "phrases": ["shared", ""]},
          {"label": "Same", "description": "d", "phrases": ["shared"]}]}}"#;
    let errors = DemoCodebook::from_json(bad, &c).err().unwrap_or_default();
    for expected in [
        "consultation: the codebook is for 'other'",
        "questions.nope: no such question",
        "questions.q1: not a free-text question",
        "questions.email: a personal detail, not an answer to code",
        "questions.q3: needs at least one theme",
        "questions.q12[0].label: 1 to 80 characters",
        "questions.q12[0].description: must not be empty",
        "questions.q12[0].phrases: needs at least one phrase",
        "questions.q12[1].phrases[1]: must not be empty",
        "questions.q12[2].label: 'Same' is used twice in this question",
        "questions.q12[2].phrases[0]: 'shared' already identifies 'Same'",
    ] {
        assert!(
            errors.iter().any(|e| e.starts_with(expected)),
            "{expected} missing from {errors:?}"
        );
    }
}
