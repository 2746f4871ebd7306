//! The report's free-text parts against values worked by hand.
use super::*;
use crate::domain::QuestionId;
use crate::export::quotes::{Quote, quotes};
use crate::export::table::Row;
use crate::test_support::DemoStore;
use serde_json::json;

/// Four respondents; q3 applies to all (q2 answered):
/// acute: q3 coded Finance, and a q12 answer;
/// ccg (Eastmoor CCG): q3 coded Finance and Workforce, quoted for Finance;
/// ccg: q3 not coded yet; pcn: q3 skipped.
fn fixture() -> DemoStore {
    let demo = DemoStore::open();
    let person = |group: &str, org: &str| {
        json!({
            "stakeholder_group": group, "region": "london", "role": "chair",
            "organisation": org, "q1": "agree", "q2": "wide_wellbeing"
        })
    };
    let mut a = person("acute_trust", "Northshire Trust");
    a["q3"] = json!("Money is short.");
    a["q12"] = json!("Through provider collaboratives.");
    let mut b = person("ccg", "Eastmoor CCG");
    b["q3"] = json!("Eastmoor CCG lacks money and staff; mail jo@example.org.");
    let mut c = person("ccg", "Westbridge CCG");
    c["q3"] = json!("Staff are tired.");
    let d = person("pcn", "Riverford PCN");
    let ids: Vec<_> = [a, b, c, d].into_iter().map(|x| demo.submit(x)).collect();
    let (finance, workforce) = (demo.theme("q3", "Finance"), demo.theme("q3", "Workforce"));
    demo.code(ids[0], "q3", &[finance]);
    demo.code(ids[1], "q3", &[workforce, finance]);
    let q3 = QuestionId::parse("q3").unwrap_or_else(|e| panic!("{e}"));
    demo.store
        .mark_quote(
            demo.loaded.stored.id,
            ids[1],
            &q3,
            finance,
            true,
            &demo.coder,
        )
        .unwrap_or_else(|e| panic!("{e}"));
    demo
}

fn row<'t>(t: &'t Table, label: &str) -> &'t Row {
    t.rows
        .iter()
        .find(|r| r.label == label)
        .unwrap_or_else(|| panic!("no row {label}"))
}

/// A row's (n, not coded, skipped, [percent per theme]).
fn seen(r: &Row) -> (u64, Option<u64>, u64, Vec<&str>) {
    let pct = r.cells.iter().map(|c| c.percent.as_str()).collect();
    (r.n, r.uncoded, r.skipped, pct)
}

#[test]
fn free_text_parts_count_and_quote_as_worked_by_hand() {
    let demo = fixture();
    let (c, stored) = (&demo.loaded.definition, demo.loaded.stored);
    let snapshot = crate::analysis::ResultsCache::default()
        .snapshot(&demo.store, stored, c)
        .unwrap_or_else(|e| panic!("{e}"));
    let quotes = quotes(&demo.store, c, stored.id).unwrap_or_else(|e| panic!("{e}"));
    let section = |id: &str| {
        let q = c.question(id).unwrap_or_else(|| panic!("{id}"));
        let spec = spec(c, q, "stakeholder_group").unwrap_or_else(|e| panic!("{e}"));
        text_section(&snapshot, spec, &quotes)
            .unwrap_or_else(|e| panic!("{e}"))
            .0
    };

    let q3 = section("q3");
    assert_eq!((q3.answered, q3.coded, q3.uncoded), (3, 2, 1));
    assert_eq!(q3.summary(), "3 answered; 2 coded, 1 not coded yet.");
    let t = q3.table.as_ref().unwrap_or_else(|| panic!("a table"));
    assert_eq!(t.columns, ["Finance", "Workforce"]);
    assert!(t.coded);
    // Of 2 coded: Finance 2, Workforce 1.
    assert_eq!(
        seen(row(t, "All respondents")),
        (2, Some(1), 1, vec!["100%", "50%"])
    );
    assert_eq!(
        seen(row(t, "Acute trust")),
        (1, Some(0), 0, vec!["100%", "0%"])
    );
    let ccg = row(t, "Clinical commissioning group (CCG)");
    assert_eq!(seen(ccg), (1, Some(1), 0, vec!["100%", "100%"]));
    assert!(ccg.small_base, "1 coded answer is a small base");
    let pcn = row(t, "Primary care network (PCN)");
    assert_eq!(seen(pcn), (0, Some(0), 1, vec!["–", "–"]));
    let finance = &q3.themes[0];
    assert_eq!(finance.label, "Finance");
    assert_eq!(
        finance.quotes,
        [Quote {
            text: "[organisation removed] lacks money and staff; mail [email removed].".into(),
            attribution: "Clinical commissioning group leader".into(),
        }]
    );
    assert!(q3.themes[1].quotes.is_empty());

    let q12 = section("q12");
    assert!(q12.table.is_none());
    assert_eq!(q12.no_themes(), "No themes yet: 1 answer to read.");
    assert_eq!(
        section("q1_why").no_themes(),
        "No themes yet: 0 answers to read."
    );

    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let mut done = Vec::new();
    let written = write_report(
        c,
        &snapshot,
        &quotes,
        "stakeholder_group",
        dir.path(),
        |q| done.push(q.to_owned()),
    )
    .unwrap_or_else(|e| panic!("{e}"));
    assert!(done.iter().any(|q| q == "q3") && done.iter().any(|q| q == "q12"));
    for file in ["q3.csv", "q3.svg", "q3.png", "q1.csv"] {
        assert!(written.contains(&dir.path().join(file)), "{file}");
    }
    assert!(
        !written.contains(&dir.path().join("q12.svg")),
        "no chart of no themes"
    );
    let html = std::fs::read_to_string(dir.path().join("index.html")).unwrap_or_default();
    for said in [
        "No themes yet: 1 answer to read.",
        "3 answered; 2 coded, 1 not coded yet.",
        "— Clinical commissioning group leader",
        "[organisation removed] lacks money",
        "Not coded yet",
    ] {
        assert!(html.contains(said), "{said}");
    }
    for secret in ["Eastmoor", "jo@example.org", "Westbridge"] {
        assert!(!html.contains(secret), "{secret}");
    }
    let q3_at = html.find("id=\"q3\"").unwrap_or(0);
    assert!(
        html.find("id=\"q2\"").unwrap_or(usize::MAX) < q3_at,
        "in the definition's order"
    );
}
