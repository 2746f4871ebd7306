use super::*;
use crate::domain::answers::validate_response;
use std::collections::HashMap;

fn demo() -> (Consultation, Profile) {
    crate::test_support::demo_with_profile()
}

fn counts(f: &SyntheticFile, q: &str) -> HashMap<String, usize> {
    let mut out = HashMap::new();
    for r in &f.responses {
        if let Some(code) = r.answers.get(q).and_then(|v| v.as_str()) {
            *out.entry(code.to_owned()).or_default() += 1;
        }
    }
    out
}

#[test]
fn apportionment_by_hand() {
    assert_eq!(apportion(&[1, 1, 1], 10), [4, 3, 3]);
    assert_eq!(apportion(&[121, 81, 31, 19], 252), [121, 81, 31, 19]);
    // 2.5 and 0.5: both remainders are .5, so the first option wins.
    assert_eq!(apportion(&[5, 1], 3), [3, 0]);
    assert_eq!(apportion(&[50, 50], 3), [2, 1]);
    // 1000 × (121/252) = 480.16, (81/252) = 321.43, (31/252) = 123.02,
    // (19/252) = 75.40: floors 480+321+123+75 = 999, the one left goes to
    // the largest fraction, .43.
    assert_eq!(apportion(&[121, 81, 31, 19], 1000), [480, 322, 123, 75]);
    assert_eq!(apportion(&[0, 0], 5), [0, 0]);
    assert_eq!(apportion(&[3, 7], 0), [0, 0]);
}

#[test]
fn the_same_seed_gives_the_same_file() {
    let (c, p) = demo();
    let a = serde_json::to_string(&generate(&c, &p, 7, None)).unwrap_or_default();
    let b = serde_json::to_string(&generate(&c, &p, 7, None)).unwrap_or_default();
    let other = serde_json::to_string(&generate(&c, &p, 8, None)).unwrap_or_default();
    assert!(!a.is_empty());
    assert_eq!(a, b);
    assert_ne!(a, other);
}

#[test]
fn every_generated_response_is_valid() {
    let (c, p) = demo();
    for seed in [1, 2, 2020] {
        let f = generate(&c, &p, seed, None);
        assert_eq!(f.responses.len(), 252);
        for r in &f.responses {
            if let Err(e) = validate_response(&c, &r.answers) {
                panic!("seed {seed}: {e:?} in {:?}", r.answers);
            }
        }
    }
}

#[test]
fn quotas_are_exact_whatever_the_seed() {
    let (c, p) = demo();
    for seed in [1, 99] {
        let f = generate(&c, &p, seed, None);
        let q11 = counts(&f, "q11");
        assert_eq!(q11["definitely"] + q11["probably"], 189);
        let q8 = counts(&f, "q8");
        assert_eq!((q8["remain"], q8["tweak"], q8["abolish"]), (76, 151, 25));
        let q1 = counts(&f, "q1");
        assert_eq!(q1["agree"] + q1["partly_agree"], 202);
        assert_eq!(counts(&f, "stakeholder_group")["ambulance_trust"], 7);
        // Follow-ups only where they apply: 96 + 93 answered q11_who.
        assert_eq!(counts(&f, "q11_who").values().sum::<usize>(), 189);
        // Skips: 4 left q4 unanswered.
        assert_eq!(counts(&f, "q4").values().sum::<usize>(), 248);
    }
}

#[test]
fn tilts_make_groups_differ() {
    let (c, p) = demo();
    let f = generate(&c, &p, 2020, None);
    let support = |group: &str| {
        let (mut yes, mut n) = (0, 0);
        for r in &f.responses {
            if r.answers.get("stakeholder_group").and_then(|v| v.as_str()) == Some(group) {
                n += 1;
                if matches!(
                    r.answers.get("q10").and_then(|v| v.as_str()),
                    Some("definitely" | "probably")
                ) {
                    yes += 1;
                }
            }
        }
        yes as f64 / n as f64
    };
    assert!(support("ics_stp") > support("acute_trust") + 0.25);
    assert!(support("ccg") > support("local_authority") + 0.25);
}

#[test]
fn other_sizes_keep_the_proportions() {
    let (c, p) = demo();
    let f = generate(&c, &p, 3, Some(1000));
    assert_eq!(f.responses.len(), 1000);
    let q11 = counts(&f, "q11");
    // 1000 × 189/252 = 750 exactly.
    assert_eq!(q11["definitely"] + q11["probably"], 750);
}

#[test]
fn profile_problems_are_all_listed() {
    let (c, _) = demo();
    let bad = r#"{"consultation": "other", "description": "x", "responses": 0,
        "period": {"from": "2020-09-01T00:00:00Z", "to": "2020-08-01T00:00:00Z"},
        "tilt_by": "q1_why",
        "questions": {"nope": {}, "q1": {"counts": {"maybe": 3}},
                      "q5b": {"chosen": {"quality": 1.5}}, "q12": {}}}"#;
    let errors = Profile::from_json(bad, &c).err().unwrap_or_default();
    for expected in [
        "consultation: the profile is for 'other'",
        "responses: must be at least 1",
        "period: 'to' is before 'from'",
        "tilt_by: 'q1_why' is not a single-choice question",
        "questions.nope: no such question",
        "questions.q1.counts.maybe: no such option",
        "questions.q5b.chosen.quality: a chance is between 0 and 1",
        "questions.q12: a free-text question needs texts or themes",
    ] {
        assert!(
            errors.iter().any(|e| e.starts_with(expected)),
            "{expected} missing from {errors:?}"
        );
    }
}
