//! The compact form in which storage keeps a response's closed answers for
//! analysis: `question=code;question=code,code`. Question ids and option
//! codes are `[a-z0-9_]`, so the separators never occur inside them, and
//! reading a million of these is a split rather than a JSON parse. A
//! free-text question answered with more than blanks appears with no
//! codes (`q3=`), so that analyses can count its answers.
use super::answers::{AnswerValue, Answers};

/// Encodes the choices in `a`, and which free-text questions were answered.
pub fn encode(a: &Answers) -> String {
    let mut out = String::new();
    for (q, v) in a.iter() {
        let codes: Vec<&str> = match v {
            AnswerValue::Choice(c) => vec![c.as_str()],
            AnswerValue::Choices(cs) => cs.iter().map(|c| c.as_str()).collect(),
            AnswerValue::Text(t) if super::coding::is_answer(t) => Vec::new(),
            AnswerValue::Text(_) => continue,
        };
        if !out.is_empty() {
            out.push(';');
        }
        out.push_str(q.as_str());
        out.push('=');
        out.push_str(&codes.join(","));
    }
    out
}

/// Each question with its codes as stored (`a`, or `a,b` for several), in
/// stored order.
pub fn entries(s: &str) -> impl Iterator<Item = (&str, &str)> {
    s.split(';').filter_map(|part| part.split_once('='))
}

/// Each question with its codes, one by one, in stored order (tests read
/// encodings back with it).
#[cfg(test)]
pub fn decode(s: &str) -> impl Iterator<Item = (&str, std::str::Split<'_, char>)> {
    entries(s).map(|(q, codes)| (q, codes.split(',')))
}

/// `s` without the answers to `questions`.
pub fn without(s: &str, questions: &[String]) -> String {
    s.split(';')
        .filter(|part| {
            part.split_once('=')
                .is_some_and(|(q, _)| !questions.iter().any(|x| x == q))
        })
        .collect::<Vec<_>>()
        .join(";")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::{OptionCode, QuestionId};
    use proptest::prelude::*;

    fn answers(pairs: &[(&str, AnswerValue)]) -> Answers {
        let mut a = Answers::default();
        for (q, v) in pairs {
            a.insert(QuestionId::parse(q).expect("valid id"), v.clone());
        }
        a
    }

    fn code(s: &str) -> OptionCode {
        OptionCode::parse(s).expect("valid code")
    }

    #[test]
    fn choices_are_kept_and_text_only_marked() {
        let a = answers(&[
            ("q1", AnswerValue::Choice(code("agree"))),
            ("q2", AnswerValue::Text("a; b=c".into())),
            ("q3", AnswerValue::Text(" \n\t".into())),
            ("q5b", AnswerValue::Choices(vec![code("x"), code("y_2")])),
        ]);
        let s = encode(&a);
        assert_eq!(s, "q1=agree;q2=;q5b=x,y_2");
        let back: Vec<(&str, Vec<&str>)> = decode(&s).map(|(q, c)| (q, c.collect())).collect();
        assert_eq!(
            back,
            vec![
                ("q1", vec!["agree"]),
                ("q2", vec![""]),
                ("q5b", vec!["x", "y_2"])
            ]
        );
        assert_eq!(without(&s, &["q1".to_owned()]), "q2=;q5b=x,y_2");
        assert_eq!(
            without(&s, &["q5b".to_owned(), "q1".to_owned(), "q2".to_owned()]),
            ""
        );
    }

    #[test]
    fn no_answers_decode_to_nothing() {
        assert_eq!(encode(&Answers::default()), "");
        assert_eq!(decode("").count(), 0);
    }

    proptest! {
        #[test]
        fn decode_reverses_encode(
            picks in proptest::collection::btree_map(
                "[a-z][a-z0-9_]{0,8}",
                proptest::collection::vec("[a-z][a-z0-9_]{0,8}", 1..4),
                0..8,
            )
        ) {
            let mut a = Answers::default();
            for (q, codes) in &picks {
                let v = if codes.len() == 1 {
                    AnswerValue::Choice(code(&codes[0]))
                } else {
                    AnswerValue::Choices(codes.iter().map(|c| code(c)).collect())
                };
                a.insert(QuestionId::parse(q).expect("valid id"), v);
            }
            let s = encode(&a);
            let back: Vec<(String, Vec<String>)> = decode(&s)
                .map(|(q, c)| (q.to_owned(), c.map(str::to_owned).collect()))
                .collect();
            let expected: Vec<(String, Vec<String>)> = picks.into_iter().collect();
            prop_assert_eq!(back, expected);
        }
    }
}
