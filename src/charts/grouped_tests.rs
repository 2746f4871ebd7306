use super::grouped::group_label;
use super::layout::WIDTH;
use super::tests::{demo_breakdown_by, source, texts};
use super::text::{Face, width};
use super::*;
use crate::analysis::breakdown::{GroupRow, OptionInfo, SMALL_BASE};
use std::collections::BTreeMap;

/// A multiple-choice breakdown with the given options and (label, n)
/// groups; in each group the k-th option is chosen by n·(k+1)/(options+1).
pub(super) fn made_up(options: &[&str], groups: &[(&str, u64)]) -> Breakdown {
    let row = |code: &str, label: &str, n: u64| {
        let counts: BTreeMap<String, u64> = (0..options.len())
            .map(|k| {
                (
                    format!("o{k}"),
                    n * (k as u64 + 1) / (options.len() as u64 + 1),
                )
            })
            .collect();
        GroupRow {
            code: code.into(),
            label: label.into(),
            n,
            skipped: 0,
            uncoded: None,
            percent: counts
                .iter()
                .map(|(c, &k)| (c.clone(), (n > 0).then(|| 100.0 * k as f64 / n as f64)))
                .collect(),
            ci95: BTreeMap::new(),
            small_base: n < SMALL_BASE,
            counts,
        }
    };
    let total: u64 = groups.iter().map(|g| g.1).sum();
    Breakdown {
        question: "themes".into(),
        question_text: "What would you most like the ICS Network to press for on behalf of \
                        members over the next two years?"
            .into(),
        kind: QuestionType::MultipleChoice,
        by: "group".into(),
        by_text: "Which part of the system do you represent?".into(),
        options: options
            .iter()
            .enumerate()
            .map(|(k, l)| OptionInfo {
                code: format!("o{k}"),
                label: (*l).into(),
                neutral: false,
            })
            .collect(),
        groups: groups
            .iter()
            .enumerate()
            .map(|(i, (l, n))| row(&format!("g{i}"), l, *n))
            .collect(),
        total: row("_all", "All respondents", total),
        combined: Vec::new(),
        test: None,
    }
}

/// Every `<text>` element's box: (left, top, right, bottom, text), from
/// its anchor, font size and weight, measured as the chart measures.
fn boxes(svg: &str) -> Vec<(f64, f64, f64, f64, String)> {
    let attr = |t: &str, name: &str| -> Option<String> {
        let start = t.find(&format!(" {name}=\""))? + name.len() + 3;
        Some(t[start..].split('"').next()?.to_owned())
    };
    let contents = texts(svg);
    svg.split("<text")
        .skip(1)
        .zip(contents)
        .map(|(t, text)| {
            let tag = t.split('>').next().unwrap_or_default();
            let num = |name| attr(tag, name).and_then(|v| v.parse::<f64>().ok());
            let (x, y, size) = (
                num("x").unwrap_or(-1.0),
                num("y").unwrap_or(-1.0),
                num("font-size").unwrap_or(100.0),
            );
            let face = Face {
                size,
                bold: attr(tag, "font-weight").is_some(),
            };
            let w = f64::from(width(face, &text));
            let left = match attr(tag, "text-anchor").as_deref() {
                Some("end") => x - w,
                Some("middle") => x - w / 2.0,
                _ => x,
            };
            let top = match attr(tag, "dy").as_deref() {
                Some("0.76em") => y,
                _ => y - size / 2.0,
            };
            (left, top, left + w, top + size, text)
        })
        .collect()
}

/// No text off the canvas, and no two texts overlapping.
fn assert_text_fits(svg: &str) {
    let height = svg
        .split("height=\"")
        .nth(1)
        .and_then(|h| h.split('"').next()?.parse::<f64>().ok())
        .unwrap_or(0.0);
    let b = boxes(svg);
    for (l, t, r, bottom, text) in &b {
        assert!(
            *l >= 0.0 && *r <= f64::from(WIDTH) && *t >= 0.0 && *bottom <= height,
            "'{text}' at {l}..{r} × {t}..{bottom} leaves the {WIDTH}×{height} canvas"
        );
    }
    for (i, p) in b.iter().enumerate() {
        for q in &b[i + 1..] {
            let apart = p.2 <= q.0 || q.2 <= p.0 || p.3 <= q.1 || q.3 <= p.1;
            assert!(apart, "'{}' overlaps '{}'", p.4, q.4);
        }
    }
}

fn grouped_svg(b: &Breakdown) -> String {
    svg(b, Kind::Grouped, &source()).unwrap_or_else(|e| panic!("{e}"))
}

#[test]
fn the_grouped_chart_lists_every_group_with_its_n() {
    for by in ["stakeholder_group", "region"] {
        let b = demo_breakdown_by("q5b", by);
        let svg = grouped_svg(&b);
        let joined = texts(&svg).join(" ");
        let mut last = 0;
        for g in std::iter::once(&b.total).chain(&b.groups) {
            let label = group_label(g);
            assert!(label.contains(&format!("(n = {}", g.n)));
            let at = joined[last..]
                .find(&label)
                .unwrap_or_else(|| panic!("no '{label}' after the previous group in {joined}"));
            last += at;
        }
        for o in &b.options {
            assert!(joined.contains(&o.label), "{}", o.label);
        }
        assert!(svg.contains("<desc id=\"chart-q5b-desc\">Grouped bar chart by"));
        assert!(svg.contains("of those in each group who answered"));
        assert_text_fits(&svg);
        let png = png(&b, Kind::Grouped, &source()).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(&png[1..4], b"PNG");
    }
}

#[test]
fn small_bases_are_flagged_in_the_label_the_bars_and_a_footnote() {
    let options = ["Mental health", "Finances", "Quality"];
    let b = made_up(&options, &[("Acute trust", 40), ("Ambulance trust", 7)]);
    let svg = grouped_svg(&b);
    let t = texts(&svg).join(" ");
    assert!(t.contains("Ambulance trust (n = 7, small base)"), "{t}");
    assert!(t.contains("Acute trust (n = 40)"), "{t}");
    assert!(t.contains("Small base: fewer than 10"), "{t}");
    // The ambulance trusts' bars, and only theirs, are striped lighter.
    let RGBColor(r, g, b) = super::style::tint(super::style::SINGLE, 0.6);
    let stripe = format!("stroke=\"#{r:02X}{g:02X}{b:02X}\"");
    let stripes = svg.split("<polyline").skip(1);
    assert!(stripes.clone().count() > 3 * options.len());
    assert!(stripes.clone().all(|p| p.contains(&stripe)));
    let ys: Vec<i32> = stripes
        .filter_map(|p| p.split("points=\"").nth(1)?.split('"').next())
        .flat_map(|points| points.split_whitespace())
        .filter_map(|xy| xy.split(',').nth(1)?.parse().ok())
        .collect();
    let (top, bottom) = (ys.iter().min(), ys.iter().max());
    assert!(
        matches!((top, bottom), (Some(t), Some(b)) if b - t <= 12),
        "stripes within one row: {top:?}..{bottom:?}"
    );

    let plain = grouped_svg(&made_up(&options, &[("Acute trust", 40)]));
    assert!(!plain.contains("<polyline"));
    assert!(!plain.contains("Small base"));
}

#[test]
fn a_group_without_answers_says_so_instead_of_zero() {
    let options = ["Mental health", "Finances"];
    let b = made_up(&options, &[("Acute trust", 30), ("Other", 0)]);
    let svg = grouped_svg(&b);
    let t = texts(&svg);
    assert!(t.join(" ").contains("Other (n = 0)"), "{t:?}");
    assert_eq!(t.iter().filter(|x| *x == "no answers").count(), 1);
    // Percentages for all respondents and the acute trusts only.
    let shares = t.iter().filter(|x| x.ends_with('%')).count();
    assert_eq!(shares, 2 * options.len(), "{t:?}");
    assert!(svg.contains("Other (n = 0): no answers"));
    assert!(
        !t.join(" ").contains("Small base"),
        "n = 0 is not a small base"
    );
}

pub(super) const THEMES: [&str; 12] = [
    "Workforce shortages, recruitment and retention across health and care",
    "Clarity about statutory accountability",
    "Interoperability of patient records and shared care records",
    "Funding flows",
    "Relationships with local authorities and elected members",
    "Primary care network involvement",
    "Reducing health inequalities",
    "Capital",
    "Counterproductive-regulatory-burdens-and-duplicated-oversight",
    "Clinical leadership",
    "Voluntary, community and social enterprise sector",
    "Other",
];

pub(super) const GROUPS: [(&str, u64); 10] = [
    ("Acute trust leaders", 23),
    ("Mental health trust leaders", 12),
    ("Community trust leaders", 9),
    ("Ambulance trust leaders", 4),
    ("Clinical commissioning group (CCG)", 31),
    ("Primary care network (PCN)", 0),
    (
        "Integrated care system (ICS) or sustainability and transformation partnership (STP)",
        18,
    ),
    ("Local authority", 11),
    ("Voluntary, community and social enterprise", 6),
    ("Other", 2),
];

#[test]
fn many_long_themes_and_groups_wrap_within_the_canvas() {
    let (themes, groups) = (THEMES, GROUPS);
    let b = made_up(&themes, &groups);
    let svg = grouped_svg(&b);
    assert_text_fits(&svg);
    let joined = texts(&svg).join(" ");
    // Words are whole, but for a compound too long for a column, which
    // breaks after its own hyphens.
    for theme in themes {
        for part in theme.split_whitespace().flat_map(|w| w.split('-')) {
            assert!(joined.contains(part), "{part} of {theme} in {joined}");
        }
    }
    // Twelve long options come in three blocks of four, each listing every
    // group.
    let ics = group_label(&b.groups[6]);
    let first_word = ics.split_whitespace().next().unwrap_or_default();
    assert_eq!(joined.matches(first_word).count(), 3, "{joined}");
    assert_eq!(joined.matches("no answers").count(), 3);
}

#[test]
fn the_stacked_and_overall_charts_keep_their_text_apart_too() {
    for (question, kind) in [("q11", Kind::Stacked), ("q5b", Kind::Overall)] {
        let b = demo_breakdown_by(question, "region");
        assert_text_fits(&svg(&b, kind, &source()).unwrap_or_else(|e| panic!("{e}")));
    }
}

#[test]
fn a_filtered_chart_says_whom_it_keeps_under_its_title() {
    let b = demo_breakdown_by("q5b", "stakeholder_group");
    let filtered = Source {
        filters: Some("Only respondents who answered London to “Which region?”".into()),
        ..source()
    };
    let svg = svg(&b, Kind::Grouped, &filtered).unwrap_or_else(|e| panic!("{e}"));
    let t = texts(&svg);
    let title = t.iter().position(|x| x.starts_with("In a more devolved"));
    let note = t
        .iter()
        .position(|x| x.starts_with("Only respondents who answered"));
    assert!(
        matches!((title, note), (Some(a), Some(b)) if a < b),
        "{t:?}"
    );
    assert!(svg.contains("<desc id=\"chart-q5b-desc\">Only respondents"));
    assert_text_fits(&svg);
}
