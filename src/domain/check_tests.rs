use super::*;

use crate::test_support::demo;

fn str(s: &str) -> Raw<'_> {
    Raw::Str(Cow::Borrowed(s))
}

fn list<'a>(items: &[&'a str]) -> Raw<'a> {
    Raw::List(items.iter().map(|s| Ok(Cow::Borrowed(*s))).collect())
}

#[test]
fn options_are_held_by_their_place_and_text_is_borrowed() {
    let c = demo();
    let q = c.question("stakeholder_group").expect("question");
    let second = q.options()[1].code.to_string();
    assert_eq!(check(q, &str(&second)), Ok(Some(Checked::Choice(1))));
    assert_eq!(check(q, &str("")), Ok(None));
    assert!(check(q, &str("nope")).is_err());
    assert!(check(q, &Raw::Other("a number")).is_err());
    let why = c.question("q1_why").expect("question");
    assert!(matches!(
        check(why, &str("because")),
        Ok(Some(Checked::Text(Cow::Borrowed("because"))))
    ));
    assert_eq!(
        check(why, &str("a\r\nb")),
        Ok(Some(Checked::Text(Cow::Owned("a\nb".into()))))
    );
    assert_eq!(check(why, &str("  \r\n ")), Ok(None));
    let email = c.question("email").expect("question");
    assert_eq!(
        check(email, &str(" a@example.org ")),
        Ok(Some(Checked::Text(Cow::Borrowed("a@example.org"))))
    );
    assert!(check(email, &str("a@b")).is_err());
}

#[test]
fn choices_read_strictly_and_leniently() {
    let c = demo();
    let q = c
        .questions()
        .find(|q| matches!(q.kind, QuestionKind::MultipleChoice { .. }))
        .expect("a multiple-choice question");
    let codes: Vec<&str> = q.options().iter().map(|o| o.code.as_str()).collect();
    let last = codes.len() - 1;
    let mut first_and_last = vec![false; codes.len()];
    first_and_last[0] = true;
    first_and_last[last] = true;
    let picked = list(&[codes[last], codes[0]]);
    assert_eq!(
        check(q, &picked),
        Ok(Some(Checked::Choices(first_and_last)))
    );
    assert_eq!(check(q, &list(&[])), Ok(None));
    assert!(check(q, &list(&[codes[0], codes[0]])).is_err());
    assert!(check(q, &str(codes[0])).is_err());

    let mut first = vec![false; codes.len()];
    first[0] = true;
    assert_eq!(lenient(q, &str(codes[0])), Some(Checked::Choices(first)));
    assert_eq!(lenient(q, &list(&[codes[0], "nope"])), None);

    // Options come back in the definition's order.
    let v = lenient(q, &picked)
        .and_then(|c| c.into_value(q))
        .expect("answer");
    let in_order = [&q.options()[0], &q.options()[last]];
    assert_eq!(
        v,
        AnswerValue::Choices(in_order.iter().map(|o| o.code.clone()).collect())
    );
}

#[test]
fn text_holding_nul_is_refused() {
    let c = demo();
    for id in ["q1_why", "email"] {
        let q = c.question(id).expect("question");
        assert_eq!(
            check(q, &str("a\u{0}b@example.org")),
            Err(NUL_MESSAGE.to_owned()),
            "{id}"
        );
    }
}
