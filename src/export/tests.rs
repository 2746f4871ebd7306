use super::formats::{self, Format};
use super::kanon::{self, MERGED, WITHHELD};
use super::release::{Options, release};
use super::values::Values;
use crate::domain::answers::validate_response;
use crate::storage::CurrentResponse;
use proptest::prelude::*;
use std::io::Read;

use crate::test_support::demo;

fn column(name: &str, codes: &[&str]) -> super::release::Column {
    super::release::Column {
        name: name.into(),
        title: name.into(),
        kind: super::release::ColumnKind::Code,
        categories: codes
            .iter()
            .map(|c| (c.to_string(), c.to_uppercase()))
            .collect(),
        description: None,
    }
}

/// One code column holding `values`, each one of `col`'s categories.
fn codes(values: &[&str], col: &super::release::Column) -> Vec<Values> {
    let index = |v: &&str| {
        col.categories
            .iter()
            .position(|(c, _)| c == v)
            .and_then(|p| u16::try_from(p).ok())
    };
    vec![Values::Codes(values.iter().map(index).collect())]
}

fn count(values: &[Values], cols: &[super::release::Column], value: &str) -> usize {
    (0..values[0].len())
        .filter(|&i| values[0].cell(i, &cols[0].categories) == Some(value))
        .count()
}

#[test]
fn the_smallest_answers_are_merged_first() {
    // a a b c c c, k = 2: b alone is at risk (1 row; 5% of 6 rounds to 0
    // rows that may be withheld). Merging b with the next smallest, a,
    // protects 1 row for 3 changed; withholding the column changes all 6.
    let mut cols = vec![column("g", &["a", "b", "c"])];
    let mut r = codes(&["a", "a", "b", "c", "c", "c"], &cols[0]);
    let out = kanon::protect(&mut r, &[0], &mut cols, 2);
    assert_eq!(out.generalised.len(), 1);
    assert_eq!(out.generalised[0].merged, ["a", "b"]);
    assert_eq!(out.generalised[0].label, "Merged: A; B");
    assert_eq!(out.suppressed_rows, 0);
    assert!(out.suppressed_columns.is_empty());
    assert_eq!(count(&r, &cols, MERGED), 3);
    assert_eq!(count(&r, &cols, "c"), 3);
    assert_eq!(kanon::min_class(&r, &cols, &[0], &out.rows), Some(3));
    assert_eq!(out.min_class, Some(3));
    assert!(cols[0].categories.iter().any(|(c, _)| c == MERGED));
}

#[test]
fn a_few_rows_at_risk_are_withheld_instead() {
    // 99 rows of x and one y, k = 5: 5% of 100 is 5 rows, so the lone y is
    // withheld rather than merged.
    let mut values = vec!["x"; 99];
    values.push("y");
    let mut cols = vec![column("g", &["x", "y"])];
    let mut r = codes(&values, &cols[0]);
    let out = kanon::protect(&mut r, &[0], &mut cols, 5);
    assert_eq!(out.suppressed_rows, 1);
    assert_eq!(out.rows, (0..99).collect::<Vec<_>>());
    assert!(out.generalised.is_empty());
    assert_eq!(kanon::min_class(&r, &cols, &[0], &out.rows), Some(99));
    assert_eq!(out.min_class, Some(99));
}

#[test]
fn min_k_counts_a_withheld_value_as_its_own_class() {
    let cols = vec![column("g", &["x"]), column("h", &["a", "b"])];
    let r = vec![
        Values::Text(vec![Some(WITHHELD.to_owned()); 3].into()),
        Values::Codes(vec![Some(0), Some(0), Some(1)]),
    ];
    let all = [0, 1, 2];
    assert_eq!(kanon::min_class(&r, &cols, &[0, 1], &all), Some(1));
    assert_eq!(kanon::min_class(&r, &cols, &[0], &all), Some(3));
    assert_eq!(kanon::min_class(&r, &cols, &[0, 1], &[0, 1]), Some(2));
    assert_eq!(kanon::min_class(&r, &cols, &[0], &[]), None);
}

const ORGS: [&str; 4] = [
    "Northshire Trust",
    "Eastmoor CCG",
    "Westbridge Council",
    "Riverford PCN",
];
const GROUPS: [&str; 3] = ["acute_trust", "ccg", "pcn"];
const REGIONS: [&str; 3] = ["london", "midlands", "north_west"];
const ROLES: [&str; 2] = ["chair", "chief_executive"];

/// A valid response with identifiers planted in its free text.
fn response(i: usize, g: usize, r: usize, role: usize) -> CurrentResponse {
    let org = ORGS[i % ORGS.len()];
    let raw = serde_json::json!({
        "stakeholder_group": GROUPS[g], "region": REGIONS[r], "role": ROLES[role],
        "organisation": org,
        "email": format!("person{i}@example.org"),
        "q1": "partly_agree",
        "q1_why": format!("At {org} we think so; email person{i}@example.org or call 020 7946 {:04}.", 1000 + i),
        "q12": format!("=HYPERLINK(\"https://example.org/{i}\") NHS number 943 476 {:04}, postcode LS1 4AP", 1000 + i),
    });
    let answers = validate_response(&demo(), raw.as_object().unwrap_or(&Default::default()))
        .unwrap_or_else(|e| panic!("{e:?}"));
    CurrentResponse {
        response_id: format!("0192f0a4-8f7e-7cc1-9a57-{i:012}"),
        submitted_at: chrono::NaiveDate::from_ymd_opt(2020, 8, 10)
            .and_then(|d| d.and_hms_opt(9, 30, 0))
            .unwrap_or_default(),
        answers: answers.stored().expect("stored").0,
    }
}

/// Every text an export's bytes hold, decoded (zip entries unpacked, the
/// Parquet file read back).
fn decoded(format: Format, bytes: &[u8]) -> String {
    match format {
        Format::Csv | Format::Json => String::from_utf8_lossy(bytes).into_owned(),
        Format::Parquet => {
            use polars::prelude::{ParquetReader, SerReader};
            let df = ParquetReader::new(std::io::Cursor::new(bytes.to_vec()))
                .finish()
                .unwrap_or_else(|e| panic!("{e}"));
            let mut out = String::new();
            for col in df.columns() {
                for i in 0..df.height() {
                    out.push_str(&format!(
                        "{}\n",
                        col.get(i).map(|v| v.to_string()).unwrap_or_default()
                    ));
                }
            }
            out
        }
        Format::DataPackage => {
            let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes.to_vec()))
                .unwrap_or_else(|e| panic!("{e}"));
            let mut out = String::new();
            for i in 0..zip.len() {
                let mut f = zip.by_index(i).unwrap_or_else(|e| panic!("{e}"));
                f.read_to_string(&mut out).unwrap_or_else(|e| panic!("{e}"));
            }
            out
        }
    }
}

#[test]
fn identified_exports_keep_everything_anonymised_ones_nothing_identifying() {
    let c = demo();
    let responses: Vec<_> = (0..12).map(|i| response(i, i % 3, i % 3, i % 2)).collect();
    let full = release(
        &c,
        responses.clone(),
        &Options {
            identified: true,
            ..Options::default()
        },
    );
    let names: Vec<&str> = full.columns.iter().map(|c| c.name.as_str()).collect();
    assert!(names.contains(&"organisation") && names.contains(&"submitted_at"));
    assert_eq!(full.cell(0, 0), Some(responses[0].response_id.as_str()));
    let anon = release(
        &c,
        responses.clone(),
        &Options {
            seed: Some(1),
            ..Options::default()
        },
    );
    let names: Vec<&str> = anon.columns.iter().map(|c| c.name.as_str()).collect();
    assert!(!names.contains(&"organisation") && !names.contains(&"email"));
    assert!(names.contains(&"week_submitted") && names.contains(&"q5b__quality"));
    assert!((0..anon.len()).all(|i| anon.cell(i, 1) == Some("2020-W33")));
    let csv = String::from_utf8(formats::write(&anon, Format::Csv, "T", "t").unwrap_or_default())
        .unwrap_or_default();
    assert!(
        csv.contains("'=HYPERLINK"),
        "formula neutralised: {csv} {:?}",
        anon.disclosure
    );
    assert_eq!(anon.disclosure.scrubbed.email, 12);
    assert_eq!(anon.disclosure.scrubbed.organisation, 12);
    assert!(anon.disclosure.removed.iter().any(|r| r == "organisation"));
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(24))]
    #[test]
    fn releases_are_k_anonymous_and_free_of_identifiers(
        people in prop::collection::vec((0..3usize, 0..3usize, 0..2usize), 1..60),
        k in 2..7usize,
    ) {
        let c = demo();
        // k people alike: one class that needs no protection, so that
        // every case releases rows and the checks below see real output.
        let people: Vec<_> = std::iter::repeat_n((0, 0, 0), k).chain(people).collect();
        let responses: Vec<_> = people
            .iter()
            .enumerate()
            .map(|(i, &(g, r, role))| response(i, g, r, role))
            .collect();
        let rel = release(&c, responses.clone(), &Options { k, seed: Some(7), ..Options::default() });
        let qi: Vec<usize> = ["stakeholder_group", "region", "role"]
            .iter()
            .filter_map(|n| rel.columns.iter().position(|c| c.name == *n))
            .collect();
        prop_assert_eq!(qi.len(), 3);
        let mut sizes = std::collections::HashMap::new();
        for i in 0..rel.len() {
            *sizes.entry(qi.iter().map(|&j| rel.cell(i, j)).collect::<Vec<_>>()).or_insert(0usize) += 1;
        }
        prop_assert!(sizes.values().all(|&n| n >= k), "a class below k: {:?}", sizes);
        prop_assert_eq!(rel.disclosure.rows_released + rel.disclosure.suppressed_rows, responses.len());
        prop_assert_eq!(rel.disclosure.min_k, sizes.values().min().copied());
        prop_assert!(rel.len() >= k, "{} rows released, k = {}", rel.len(), k);
        prop_assert_eq!(rel.disclosure.rows_released, rel.len());
        for format in [Format::Csv, Format::Json, Format::Parquet, Format::DataPackage] {
            let bytes = formats::write(&rel, format, "T", "t").map_err(|e| TestCaseError::fail(e.to_string()))?;
            let text = decoded(format, &bytes);
            for (i, r) in responses.iter().enumerate() {
                prop_assert!(!text.contains(&format!("person{i}@example.org")), "{:?}: email", format);
                prop_assert!(!text.contains(&format!("7946 {:04}", 1000 + i)), "{:?}: phone", format);
                prop_assert!(!text.contains(&format!("476 {:04}", 1000 + i)), "{:?}: NHS number", format);
                prop_assert!(!text.contains(&r.response_id), "{:?}: internal id", format);
            }
            for org in ORGS {
                prop_assert!(!text.contains(org), "{:?}: {}", format, org);
            }
            prop_assert!(!text.contains("LS1 4AP") && !text.contains("https://example.org"));
            // What was scrubbed is marked where it was, in every format.
            for marker in ["[email removed]", "[phone number removed]", "[NHS number removed]",
                           "[postcode removed]", "[link removed]", "[organisation removed]"] {
                prop_assert!(text.contains(marker), "{:?}: no {}", format, marker);
            }
            prop_assert!(text.contains("partly_agree") || text.contains("Partly agree"), "{:?}: answers", format);
        }
    }
}

#[test]
fn formulas_are_neutralised() {
    use super::neutralise;
    assert_eq!(neutralise("=SUM(A1)"), "'=SUM(A1)");
    assert_eq!(neutralise("+1"), "'+1");
    assert_eq!(neutralise("-1"), "'-1");
    assert_eq!(neutralise("@cmd"), "'@cmd");
    assert_eq!(neutralise("\tx"), "'\tx");
    assert_eq!(neutralise("\rx"), "'\rx");
    assert_eq!(neutralise("Acute trust"), "Acute trust");
    assert_eq!(neutralise(""), "");
}

/// Spreadsheets skip some leading characters before reading a formula.
#[test]
fn formulas_behind_invisible_or_blank_characters_are_neutralised() {
    use super::neutralise;
    let leads = [
        ("space", " "),
        ("no-break space", "\u{a0}"),
        ("line feed", "\n"),
        ("zero-width space", "\u{200b}"),
        ("NUL", "\0"),
        ("tab", "\t"),
        ("carriage return", "\r"),
        ("byte order mark", "\u{feff}"),
        ("several", " \u{a0}\n\u{200b}\0"),
    ];
    for (name, lead) in leads {
        for trigger in ["=", "+", "-", "@"] {
            let cell = format!("{lead}{trigger}HYPERLINK(\"http://x\")");
            assert_eq!(
                neutralise(&cell),
                format!("'{cell}"),
                "{name} before {trigger}"
            );
        }
    }
    // Blank characters before ordinary text are the text's own.
    assert_eq!(neutralise(" Acute trust"), " Acute trust");
    assert_eq!(neutralise("\u{a0}50% agree"), "\u{a0}50% agree");
}

proptest! {
    #[test]
    fn no_cell_reaches_a_spreadsheet_as_a_formula(
        lead in "[ \u{a0}\n\r\t\u{200b}\u{200c}\u{200d}\u{2060}\u{feff}\u{0}\u{3000}]{0,4}",
        trigger in "[=+\\-@＝＋－＠]",
        rest in "\\PC{0,12}",
        text in "[a-zA-Z0-9 ,.'\u{e9}]{0,12}",
    ) {
        use super::neutralise;
        let cell = format!("{lead}{trigger}{rest}");
        prop_assert_eq!(neutralise(&cell), format!("'{cell}"));
        // Text that starts as text is left as it is.
        let plain = format!("{}{text}", lead.replace(['\t', '\r', '\n', '\0'], ""));
        if !plain.trim_start().is_empty() && plain.trim_start().chars().next().is_some_and(char::is_alphanumeric) {
            prop_assert_eq!(neutralise(&plain), plain.clone());
        }
    }
}
