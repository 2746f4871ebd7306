//! Themes counted by group, against values worked by hand.
use super::*;
use crate::analysis::breakdown::breakdown;
use crate::analysis::frame;
use crate::analysis::spec::{RawSpec, Spec};
use crate::domain::QuestionId;
use crate::domain::coding::{Theme, ThemeDescription, ThemeId, ThemeLabel};
use crate::storage::ClosedRow;
use crate::test_support::demo;

fn id(n: u128) -> String {
    uuid::Uuid::from_u128(n).to_string()
}

/// Eight respondents to q8 and its follow-up q8_why:
/// 1 ccg tweak, coded [1]; 2 ccg tweak, coded [1, 2]; 3 ccg remain, not
/// coded; 4 ccg abolish, no reason given; 5 acute abolish, coded with no
/// theme; 6 acute abolish, coded [2]; 7 acute, no q8 (q8_why does not
/// apply); 8 pcn remain, coded [3].
fn fixture() -> (Codebook, DataFrame) {
    let c = demo();
    let people: [(&str, Option<&str>, bool); 8] = [
        ("ccg", Some("tweak"), true),
        ("ccg", Some("tweak"), true),
        ("ccg", Some("remain"), true),
        ("ccg", Some("abolish"), false),
        ("acute_trust", Some("abolish"), true),
        ("acute_trust", Some("abolish"), true),
        ("acute_trust", None, false),
        ("pcn", Some("remain"), true),
    ];
    let rows: Vec<ClosedRow> = people
        .iter()
        .enumerate()
        .map(|(i, (group, q8, text))| {
            let mut parts = vec![format!("stakeholder_group={group}")];
            parts.extend(q8.map(|a| format!("q8={a}")));
            if *text {
                parts.push("q8_why=".into());
            }
            ClosedRow {
                response_id: id(i as u128 + 1),
                submitted_at: chrono::NaiveDateTime::default(),
                closed: parts.join(";"),
            }
        })
        .collect();
    let mut df = frame::build(&c, &rows).unwrap_or_else(|e| panic!("{e}"));
    let theme = |n: i64, label: &str| Theme {
        id: ThemeId::new(n).unwrap_or_else(|| panic!("{n}")),
        label: ThemeLabel::parse(label).unwrap_or_else(|e| panic!("{e:?}")),
        description: ThemeDescription::default(),
    };
    let mut book = Codebook::default();
    book.themes.insert(
        QuestionId::parse("q8_why").unwrap_or_else(|e| panic!("{e}")),
        vec![
            theme(1, "Keep the freedoms"),
            theme(2, "A duty to the system"),
            theme(3, "Abolish"),
        ],
    );
    let q = "q8_why".to_owned();
    let codings: Vec<CodingRow> = vec![
        (id(1), q.clone(), Some(1)),
        (id(2), q.clone(), Some(1)),
        (id(2), q.clone(), Some(2)),
        (id(5), q.clone(), None),
        (id(6), q.clone(), Some(2)),
        (id(8), q.clone(), Some(3)),
        // A coding of a response no longer there changes nothing.
        (id(99), q, Some(1)),
    ];
    add_columns(&mut df, &c, &book, &codings).unwrap_or_else(|e| panic!("{e}"));
    (book, df)
}

fn run(by: &str, filters: &[&str]) -> crate::analysis::Breakdown {
    let (book, df) = fixture();
    let raw = RawSpec {
        question: Some("q8_why".into()),
        by: Some(by.into()),
        filters: filters.iter().map(|f| (*f).to_owned()).collect(),
        ..RawSpec::default()
    };
    let spec = Spec::parse(&demo(), &raw)
        .unwrap_or_else(|e| panic!("{e:?}"))
        .with_codebook(&book);
    breakdown(&df, &spec).unwrap_or_else(|e| panic!("{e}"))
}

/// (n, uncoded, skipped, counts of themes 1, 2, 3)
fn cells(r: &crate::analysis::GroupRow) -> (u64, Option<u64>, u64, [u64; 3]) {
    let k = |t: &str| r.counts.get(t).copied().unwrap_or(u64::MAX);
    (r.n, r.uncoded, r.skipped, [k("1"), k("2"), k("3")])
}

fn group<'a>(b: &'a crate::analysis::Breakdown, code: &str) -> &'a crate::analysis::GroupRow {
    b.groups
        .iter()
        .find(|g| g.code == code)
        .unwrap_or_else(|| panic!("no group {code}"))
}

#[test]
fn themes_count_over_coded_answers_by_stakeholder_group() {
    let b = run("stakeholder_group", &[]);
    let labels: Vec<&str> = b.options.iter().map(|o| o.label.as_str()).collect();
    assert_eq!(
        labels,
        ["Keep the freedoms", "A duty to the system", "Abolish"]
    );
    assert_eq!(cells(group(&b, "ccg")), (2, Some(1), 1, [2, 1, 0]));
    assert_eq!(cells(group(&b, "acute_trust")), (2, Some(0), 0, [0, 1, 0]));
    assert_eq!(cells(group(&b, "pcn")), (1, Some(0), 0, [0, 0, 1]));
    assert_eq!(
        cells(group(&b, "local_authority")),
        (0, Some(0), 0, [0, 0, 0])
    );
    assert_eq!(cells(&b.total), (5, Some(1), 1, [2, 2, 1]));
    // ccg: 2 of 2 and 1 of 2; all: 2 of 5.
    let ccg = group(&b, "ccg");
    assert_eq!(ccg.percent["1"], Some(100.0));
    assert_eq!(ccg.percent["2"], Some(50.0));
    assert_eq!(b.total.percent["1"], Some(40.0));
    // Wilson, 1 of 2 at 95%: 0.5 ± 1.96·√(0.125 + 0.2401) / 2.9207.
    let ci = ccg.ci95["2"].unwrap_or_else(|| panic!("an interval"));
    assert!((ci.lower - 9.453).abs() < 0.01, "{ci:?}");
    assert!((ci.upper - 90.547).abs() < 0.01, "{ci:?}");
    assert!(ccg.small_base);
    assert_eq!(group(&b, "local_authority").percent["1"], None);
    assert!(b.test.is_none());
}

#[test]
fn themes_by_the_closed_question_they_follow() {
    let b = run("q8", &[]);
    assert_eq!(cells(group(&b, "remain")), (1, Some(1), 0, [0, 0, 1]));
    assert_eq!(cells(group(&b, "tweak")), (2, Some(0), 0, [2, 1, 0]));
    assert_eq!(cells(group(&b, "abolish")), (2, Some(0), 1, [0, 1, 0]));
}

#[test]
fn filters_narrow_theme_counts() {
    let b = run("q8", &["stakeholder_group:ccg"]);
    assert_eq!(cells(group(&b, "remain")), (0, Some(1), 0, [0, 0, 0]));
    assert_eq!(cells(group(&b, "tweak")), (2, Some(0), 0, [2, 1, 0]));
    assert_eq!(cells(group(&b, "abolish")), (0, Some(0), 1, [0, 0, 0]));
    assert_eq!(cells(&b.total), (2, Some(1), 1, [2, 1, 0]));
}

#[test]
fn closed_questions_have_no_uncoded_count() {
    let (_, df) = fixture();
    let raw = RawSpec {
        question: Some("q8".into()),
        ..RawSpec::default()
    };
    let spec = Spec::parse(&demo(), &raw).unwrap_or_else(|e| panic!("{e:?}"));
    let b = breakdown(&df, &spec).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(b.total.uncoded, None);
    assert_eq!(b.total.n, 7);
    let json = serde_json::to_string(&b.total).unwrap_or_default();
    assert!(!json.contains("uncoded"), "{json}");
}

#[test]
fn personal_free_text_is_never_counted() {
    let raw = RawSpec {
        question: Some("email".into()),
        ..RawSpec::default()
    };
    let errors = Spec::parse(&demo(), &raw).err().unwrap_or_default();
    assert_eq!(errors.len(), 1);
    assert_eq!(errors[0].field, "question");
}
