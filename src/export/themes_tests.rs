//! Theme columns in releases: hand-coded answers read 1, 0 or empty in
//! every format, and a coding change reaches the next export.
use super::cached::DisclosureCache;
use super::coding::Coding;
use super::formats::{self, Format};
use super::release::{Options, Release, release_coded};
use crate::domain::answers::validate_response;
use crate::storage::CurrentResponse;
use crate::test_support::{DemoStore, codebook, demo};
use serde_json::{Value, json};
use std::collections::HashMap;
use std::sync::Arc;

fn id(i: usize) -> String {
    format!("0192f0a4-8f7e-7cc1-9a57-{i:012}")
}

/// One respondent of five alike (a class of k = 5), answering q3 or not.
fn response(i: usize, q3: Option<&str>) -> CurrentResponse {
    let mut raw = json!({
        "stakeholder_group": "ccg", "region": "london", "role": "chair",
        "organisation": "Eastmoor CCG", "q1": "agree", "q2": "wide_wellbeing"
    });
    if let Some(t) = q3 {
        raw["q3"] = json!(t);
    }
    let answers = validate_response(&demo(), raw.as_object().unwrap_or(&Default::default()))
        .unwrap_or_else(|e| panic!("{e:?}"));
    CurrentResponse {
        response_id: id(i),
        submitted_at: chrono::NaiveDate::from_ymd_opt(2020, 8, 10)
            .and_then(|d| d.and_hms_opt(9, 30, 0))
            .unwrap_or_default(),
        answers: answers.stored().expect("stored").0,
    }
}

/// Five answers to q3 and how each was coded, with Finance (1) and
/// Workforce (2), and the cells worked by hand for (Finance, Workforce).
/// An answer (or none), its coding (None: not coded) and the cells.
type Case = (
    Option<&'static str>,
    Option<&'static [i32]>,
    [&'static str; 2],
);

const CASES: [Case; 5] = [
    (
        Some("Money is short at Eastmoor CCG."),
        Some(&[1]),
        ["1", "0"],
    ),
    (Some("Money and staff."), Some(&[1, 2]), ["1", "1"]),
    // Read, and no theme applies: a real "no" for each theme.
    (Some("Nothing to add."), Some(&[]), ["0", "0"]),
    // Not coded yet: unknown, never "no".
    (Some("Staff are tired."), None, ["", ""]),
    // Not answered (a stale coding is not an answer).
    (None, Some(&[2]), ["", ""]),
];

fn coded_fixture() -> (Coding, Vec<CurrentResponse>) {
    let book = codebook(&[(
        "q3",
        &[
            (1, "Finance", "Money, budgets and funding"),
            (2, "Workforce", "Staff numbers and skills"),
        ],
    )]);
    let mut rows = Vec::new();
    for (i, (_, themes, _)) in CASES.iter().enumerate() {
        match themes {
            Some([]) => rows.push((id(i), "q3".to_owned(), None)),
            Some(ts) => rows.extend(ts.iter().map(|t| (id(i), "q3".to_owned(), Some(*t)))),
            None => {}
        }
    }
    // Another question's coding does not leak into q3's columns.
    rows.push((id(3), "q12".into(), Some(1)));
    let responses = CASES
        .iter()
        .enumerate()
        .map(|(i, (text, _, _))| response(i, *text))
        .collect();
    (Coding::new(book, rows), responses)
}

fn col(r: &Release, name: &str) -> usize {
    r.columns
        .iter()
        .position(|c| c.name == name)
        .unwrap_or_else(|| panic!("no column {name}"))
}

#[test]
fn hand_coded_answers_read_one_zero_or_empty() {
    let c = demo();
    let (coding, responses) = coded_fixture();
    let identified = Options {
        identified: true,
        ..Options::default()
    };
    let r = release_coded(&c, &coding, responses.clone(), &identified);
    let (finance, workforce) = (col(&r, "q3__theme__1"), col(&r, "q3__theme__2"));
    assert_eq!(col(&r, "q3") + 1, finance, "themes follow their question");
    for (i, (_, _, want)) in CASES.iter().enumerate() {
        let got = [finance, workforce].map(|j| r.cell(i, j).unwrap_or(""));
        assert_eq!(got, *want, "response {i}");
    }

    // Anonymised: rows shuffled, so each is found by its scrubbed text.
    let opts = Options {
        seed: Some(3),
        ..Options::default()
    };
    let anon = release_coded(&c, &coding, responses, &opts);
    assert_eq!(anon.len(), 5, "{:?}", anon.disclosure);
    assert_eq!(
        anon.disclosure.quasi_identifiers,
        ["stakeholder_group", "region", "role"],
        "themes are no quasi-identifiers"
    );
    let csv = formats::write(&anon, Format::Csv, "T", "t").unwrap_or_default();
    let mut reader = csv::Reader::from_reader(csv.as_slice());
    let header: Vec<String> = reader
        .headers()
        .map(|h| h.iter().map(str::to_owned).collect())
        .unwrap_or_default();
    let at = |name: &str| header.iter().position(|h| h == name).unwrap_or(usize::MAX);
    let (text, t1, t2) = (at("q3"), at("q3__theme__1"), at("q3__theme__2"));
    let mut seen: HashMap<String, [String; 2]> = HashMap::new();
    for record in reader.records() {
        let record = record.unwrap_or_else(|e| panic!("{e}"));
        let cell = |j: usize| record.get(j).unwrap_or("NONE").to_owned();
        seen.insert(cell(text), [cell(t1), cell(t2)]);
    }
    let expected: HashMap<String, [String; 2]> = [
        ("Money is short at [organisation removed].", ["1", "0"]),
        ("Money and staff.", ["1", "1"]),
        ("Nothing to add.", ["0", "0"]),
        ("Staff are tired.", ["", ""]),
        ("", ["", ""]),
    ]
    .into_iter()
    .map(|(t, v)| (t.to_owned(), v.map(str::to_owned)))
    .collect();
    assert_eq!(seen, expected);

    // JSON has null, not 0, where the answer is not coded.
    let json: Value =
        serde_json::from_slice(&formats::write(&anon, Format::Json, "T", "t").unwrap_or_default())
            .unwrap_or(Value::Null);
    let cells: Vec<&Value> = json
        .as_array()
        .map(|rows| rows.iter().map(|row| &row["q3__theme__1"]).collect())
        .unwrap_or_default();
    assert_eq!(cells.iter().filter(|v| v.is_null()).count(), 2);
    assert_eq!(cells.iter().filter(|v| v.as_i64() == Some(1)).count(), 2);
    assert_eq!(cells.iter().filter(|v| v.as_i64() == Some(0)).count(), 1);

    // The codebook names each theme and says what empty means.
    let package = formats::datapackage(&anon, "T", "t");
    let fields = package["resources"][0]["schema"]["fields"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    let field = fields
        .iter()
        .find(|f| f["name"] == "q3__theme__2")
        .unwrap_or_else(|| panic!("no theme field"));
    assert_eq!(field["type"], "integer");
    assert!(
        field["title"]
            .as_str()
            .is_some_and(|t| t.contains("“Workforce”"))
    );
    let about = field["description"].as_str().unwrap_or("");
    assert!(about.starts_with("Theme “Workforce”: Staff numbers and skills. 1 = "));
    assert!(about.contains("empty = the answer has not been coded yet"));
}

#[test]
fn a_coding_change_gives_a_new_export() {
    let demo = DemoStore::open();
    let (store, loaded) = (&demo.store, &demo.loaded);
    let (cid, def) = (loaded.stored.id, &loaded.definition);
    let ids: Vec<_> = ["Money is short.", "Staff are tired."]
        .into_iter()
        .map(|text| {
            demo.submit(json!({
                "stakeholder_group": "ccg", "region": "london", "role": "chair",
                "q1": "agree", "q2": "wide_wellbeing", "q3": text
            }))
        })
        .collect();
    let finance = demo.theme("q3", "Finance");
    // Each answer's Finance cell, found by its response id.
    let cells = || {
        let opts = Options {
            identified: true,
            ..Options::default()
        };
        let r = super::release_stored(store, def, cid, &opts).unwrap_or_else(|e| panic!("{e}"));
        let j = col(&r, "q3__theme__1");
        let by_id: HashMap<String, Option<String>> = (0..r.len())
            .map(|i| {
                let rid = r.cell(i, 0).unwrap_or_default().to_owned();
                (rid, r.cell(i, j).map(str::to_owned))
            })
            .collect();
        ids.iter()
            .map(|i| by_id.get(&i.to_string()).cloned().flatten())
            .collect::<Vec<_>>()
    };
    let cache = DisclosureCache::default();
    let disclosure = || {
        cache
            .get(store, def, loaded.stored, &Options::default())
            .unwrap_or_else(|e| panic!("{e}"))
    };
    assert_eq!(cells(), [None, None]);
    let before = (store.data_version(cid).ok(), disclosure());
    demo.code(ids[0], "q3", &[finance]);
    assert!(
        store.data_version(cid).ok() > before.0,
        "coding moves the data version"
    );
    assert!(!Arc::ptr_eq(&before.1, &disclosure()), "built again");
    assert_eq!(cells(), [Some("1".to_owned()), None]);
    // Recoded as "no theme applies": now a real 0.
    demo.code(ids[0], "q3", &[]);
    demo.code(ids[1], "q3", &[finance]);
    assert_eq!(cells(), [Some("0".to_owned()), Some("1".to_owned())]);
}
