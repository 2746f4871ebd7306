use super::*;
use crate::analysis::frame;
use crate::analysis::spec::RawSpec;
use crate::storage::ClosedRow;

use crate::test_support::demo;

fn at(day: &str) -> chrono::NaiveDateTime {
    chrono::NaiveDateTime::parse_from_str(&format!("{day} 12:00:00"), "%Y-%m-%d %H:%M:%S")
        .unwrap_or_else(|e| panic!("{e}"))
}

/// Id, stakeholder group, q1, q5b, day submitted.
type Person = (
    &'static str,
    Option<&'static str>,
    Option<&'static str>,
    &'static [&'static str],
    &'static str,
);

/// Seven respondents, worked through by hand in the tests below:
/// r1 ccg agree [quality]; r2 ccg partly_agree; r3 acute agree
/// [quality, finances]; r4 acute disagree; r5 acute (skips q1);
/// r6 (no group) dont_know; r7 pcn partly_agree, submitted in September.
fn rows() -> Vec<ClosedRow> {
    let people: [Person; 7] = [
        ("r1", Some("ccg"), Some("agree"), &["quality"], "2020-08-10"),
        ("r2", Some("ccg"), Some("partly_agree"), &[], "2020-08-10"),
        (
            "r3",
            Some("acute_trust"),
            Some("agree"),
            &["finances", "quality"],
            "2020-08-10",
        ),
        (
            "r4",
            Some("acute_trust"),
            Some("disagree"),
            &[],
            "2020-08-10",
        ),
        ("r5", Some("acute_trust"), None, &[], "2020-08-10"),
        ("r6", None, Some("dont_know"), &[], "2020-08-10"),
        ("r7", Some("pcn"), Some("partly_agree"), &[], "2020-09-20"),
    ];
    people
        .iter()
        .map(|(_, group, q1, q5b, day)| {
            let mut parts = vec!["region=london".to_owned()];
            if let Some(g) = group {
                parts.push(format!("stakeholder_group={g}"));
            }
            if let Some(a) = q1 {
                parts.push(format!("q1={a}"));
            }
            if !q5b.is_empty() {
                parts.push(format!("q5b={}", q5b.join(",")));
            }
            ClosedRow {
                response_id: String::new(),
                submitted_at: at(day),
                closed: parts.join(";"),
            }
        })
        .collect()
}

fn run(raw: RawSpec) -> Breakdown {
    let c = demo();
    let df = frame::build(&c, &rows()).unwrap_or_else(|e| panic!("{e}"));
    let spec = Spec::parse(&c, &raw).unwrap_or_else(|e| panic!("{e:?}"));
    breakdown(&df, &spec).unwrap_or_else(|e| panic!("{e}"))
}

fn q(id: &str) -> RawSpec {
    RawSpec {
        question: Some(id.into()),
        by: Some("stakeholder_group".into()),
        ..RawSpec::default()
    }
}

fn group<'a>(b: &'a Breakdown, code: &str) -> &'a GroupRow {
    b.groups
        .iter()
        .find(|g| g.code == code)
        .unwrap_or_else(|| panic!("{code}"))
}

fn close(a: Option<f64>, b: f64) -> bool {
    a.is_some_and(|a| (a - b).abs() < 1e-9)
}

#[test]
fn single_choice_counts_percentages_and_skips_by_hand() {
    let b = run(q("q1"));
    // Every stakeholder group is listed, in the definition's order.
    let codes: Vec<&str> = b.groups.iter().map(|g| g.code.as_str()).collect();
    assert_eq!(codes[0], "acute_trust");
    assert_eq!(codes.len(), 9);
    let ccg = group(&b, "ccg");
    assert_eq!((ccg.n, ccg.skipped), (2, 0));
    assert_eq!(ccg.counts["agree"], 1);
    assert!(close(ccg.percent["partly_agree"], 50.0));
    assert!(close(ccg.percent["disagree"], 0.0));
    let acute = group(&b, "acute_trust");
    assert_eq!((acute.n, acute.skipped), (2, 1));
    assert!(acute.small_base);
    let pcn = group(&b, "pcn");
    assert_eq!(pcn.n, 1);
    assert!(close(pcn.percent["partly_agree"], 100.0));
    let empty = group(&b, "ambulance_trust");
    assert_eq!(empty.n, 0);
    assert_eq!(empty.percent["agree"], None);
    assert_eq!(empty.ci95["agree"], None);
    // All respondents include r6, who did not say their group.
    assert_eq!((b.total.n, b.total.skipped), (6, 1));
    assert_eq!(b.total.counts["dont_know"], 1);
    assert!(close(b.total.percent["agree"], 100.0 / 3.0));
    // Wilson for 4 of 6 (agree or partly agree), by hand as in stats.rs.
    let combined = &b.combined[0];
    assert_eq!(combined.code, "agree_or_partly_agree");
    assert_eq!(combined.total.count, 4);
    assert!(close(combined.total.percent, 400.0 / 6.0));
    let ci = combined.total.ci95.unwrap_or_else(|| panic!("ci"));
    assert!((ci.lower - 29.999_331_513_839_202).abs() < 1e-6, "{ci:?}");
    assert!((ci.upper - 90.322_858_889_421_95).abs() < 1e-6, "{ci:?}");
    assert_eq!(combined.groups["ccg"].count, 2);
    assert!(close(combined.groups["acute_trust"].percent, 50.0));
}

#[test]
fn chi_square_over_groups_with_answers_by_hand() {
    // Groups with n > 0: ccg [1, 1, 0], acute [1, 0, 1], pcn [0, 1, 0] over
    // agree, partly_agree, disagree (dont_know has no grouped answer).
    // Row and column totals 2, 2, 1; E = 0.8, 0.8, 0.4 / 0.8, 0.8, 0.4 /
    // 0.4, 0.4, 0.2; statistic = 0.5 + 1.75 + 1.5 = 3.75; df = 4;
    // p = e^(−3.75/2) (1 + 3.75/2) = 0.440896.
    let t = run(q("q1")).test.unwrap_or_else(|| panic!("test"));
    assert!((t.statistic - 3.75).abs() < 1e-9, "{t:?}");
    assert_eq!(t.df, 4);
    assert!((t.p_value - 0.440_895_529_679_169_34).abs() < 1e-6, "{t:?}");
    assert!(t.low_expected_counts);
}

#[test]
fn multiple_choice_is_percent_of_those_answering() {
    let b = run(q("q5b"));
    assert_eq!(b.test, None);
    let ccg = group(&b, "ccg");
    assert_eq!((ccg.n, ccg.skipped, ccg.counts["quality"]), (1, 1, 1));
    let acute = group(&b, "acute_trust");
    assert_eq!((acute.n, acute.skipped), (1, 2));
    assert!(close(acute.percent["finances"], 100.0));
    assert_eq!((b.total.n, b.total.skipped), (2, 5));
    assert!(close(b.total.percent["quality"], 100.0));
    assert!(close(b.total.percent["finances"], 50.0));
    assert!(close(b.total.percent["outcomes"], 0.0));
}

#[test]
fn filters_narrow_the_respondents() {
    let mut raw = q("q1");
    raw.filters = vec!["stakeholder_group:ccg,pcn".into()];
    assert_eq!(run(raw).total.n, 3);
    let mut raw = q("q1");
    raw.to = Some("2020-09-01".into());
    let b = run(raw);
    assert_eq!(b.total.n, 5, "r7 came later");
    assert_eq!(group(&b, "pcn").n, 0);
    let mut raw = q("q1");
    raw.from = Some("2020-09-20".into());
    raw.to = Some("2020-09-20".into());
    assert_eq!(run(raw).total.n, 1, "'to' takes in the whole day");
}

#[test]
fn bad_requests_name_their_field() {
    let c = demo();
    let bad = RawSpec {
        question: Some("organisation".into()),
        by: Some("q5b".into()),
        filters: vec!["region".into(), "region:mars".into(), "q5b:quality".into()],
        from: Some("2020-13-01".into()),
        to: None,
    };
    let errors = Spec::parse(&c, &bad).err().unwrap_or_default();
    let fields: Vec<&str> = errors.iter().map(|e| e.field.as_str()).collect();
    assert_eq!(
        fields,
        ["question", "by", "filter", "filter", "filter", "from"]
    );
    let itself = RawSpec {
        question: Some("q1".into()),
        by: Some("q1".into()),
        ..RawSpec::default()
    };
    let errors = Spec::parse(&c, &itself).err().unwrap_or_default();
    assert_eq!(errors[0].field, "by");
    let missing = Spec::parse(&c, &RawSpec::default())
        .err()
        .unwrap_or_default();
    assert_eq!(missing[0].field, "question");
}

#[test]
fn responses_per_week_by_hand() {
    let c = demo();
    let df = frame::build(&c, &rows()).unwrap_or_else(|e| panic!("{e}"));
    let (weeks, earlier) = frame::by_week(&df, 104).unwrap_or_else(|e| panic!("{e}"));
    // Six on Monday 10 August 2020, one on Sunday 20 September (week of
    // the 14th); the five weeks between are listed with none.
    let day = |m, d| chrono::NaiveDate::from_ymd_opt(2020, m, d).unwrap_or_default();
    assert_eq!(weeks.first(), Some(&(day(8, 10), 6)));
    assert_eq!(weeks.last(), Some(&(day(9, 14), 1)));
    assert_eq!(weeks.len(), 6);
    assert_eq!(weeks.iter().map(|w| w.1).sum::<u64>(), 7);
    assert_eq!(earlier, 0);
    // Only the last three weeks: the six of 10 August come before them.
    let (weeks, earlier) = frame::by_week(&df, 3).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(weeks, [(day(8, 31), 0), (day(9, 7), 0), (day(9, 14), 1)]);
    assert_eq!(earlier, 6);
}

/// Conditional questions: only those the question applied to and who left
/// it blank count as skipped. Worked by hand in the comments.
#[test]
fn conditional_questions_count_skips_only_where_they_applied() {
    let c = demo();
    let rows: Vec<ClosedRow> = [
        // ccg: answered; applied and skipped; did not apply.
        "stakeholder_group=ccg;q11=definitely;q11_who=nhs;q9=definitely;q9_areas=public_health",
        "stakeholder_group=ccg;q11=probably;q9=probably",
        "stakeholder_group=ccg;q11=probably_not;q9=definitely_not",
        // acute: two answered, one skipped, one without q11/q9 at all.
        "stakeholder_group=acute_trust;q11=definitely;q11_who=joint_committee;q9=probably;q9_areas=public_health,mental_health",
        "stakeholder_group=acute_trust",
        "stakeholder_group=acute_trust;q11=probably;q11_who=nhs;q9=dont_know",
        "stakeholder_group=acute_trust;q11=definitely;q9=definitely",
    ]
    .iter()
    .map(|s| ClosedRow {
        response_id: String::new(),
        submitted_at: at("2020-08-10"),
        closed: (*s).to_owned(),
    })
    .collect();
    let df = frame::build(&c, &rows).unwrap_or_else(|e| panic!("{e}"));
    let run = |id: &str| {
        let spec = Spec::parse(&c, &q(id)).unwrap_or_else(|e| panic!("{e:?}"));
        breakdown(&df, &spec).unwrap_or_else(|e| panic!("{e}"))
    };
    let who = run("q11_who");
    let ccg = group(&who, "ccg");
    assert_eq!((ccg.n, ccg.skipped, ccg.counts["nhs"]), (1, 1, 1));
    let acute = group(&who, "acute_trust");
    assert_eq!((acute.n, acute.skipped), (2, 1));
    assert_eq!(
        (acute.counts["nhs"], acute.counts["joint_committee"]),
        (1, 1)
    );
    assert_eq!((who.total.n, who.total.skipped), (3, 2));

    let areas = run("q9_areas");
    let ccg = group(&areas, "ccg");
    assert_eq!((ccg.n, ccg.skipped, ccg.counts["public_health"]), (1, 1, 1));
    let acute = group(&areas, "acute_trust");
    // q9=dont_know: does not apply; q9=definitely with no areas: skipped.
    assert_eq!((acute.n, acute.skipped), (1, 1));
    assert_eq!(
        (acute.counts["public_health"], acute.counts["mental_health"]),
        (1, 1)
    );
    assert_eq!((areas.total.n, areas.total.skipped), (2, 2));
}
