use super::*;
use crate::analysis::{RawSpec, Spec, breakdown::breakdown, frame};
use crate::synth;

/// A breakdown by stakeholder group of the demo's synthetic responses.
fn demo_breakdown(question: &str) -> Breakdown {
    demo_breakdown_by(question, "stakeholder_group")
}

/// A breakdown by `by` of the demo's synthetic responses.
pub(super) fn demo_breakdown_by(question: &str, by: &str) -> Breakdown {
    let (c, p) = crate::test_support::demo_with_profile();
    let rows = synth::generate(&c, &p, 2020, None).closed_rows(&c);
    let df = frame::build(&c, &rows).unwrap_or_else(|e| panic!("{e}"));
    let raw = RawSpec {
        question: Some(question.into()),
        by: Some(by.into()),
        ..RawSpec::default()
    };
    let spec = Spec::parse(&c, &raw).unwrap_or_else(|e| panic!("{e:?}"));
    breakdown(&df, &spec).unwrap_or_else(|e| panic!("{e}"))
}

pub(super) fn source() -> Source {
    Source {
        consultation: "Next steps for system working".into(),
        date: chrono::NaiveDate::from_ymd_opt(2020, 10, 1).unwrap_or_default(),
        filters: None,
    }
}

/// The text content of every `<text>` element, in document order.
pub(super) fn texts(svg: &str) -> Vec<String> {
    svg.split("<text")
        .skip(1)
        .filter_map(|t| {
            let start = t.find('>')? + 1;
            let end = t.find("</text>")?;
            let text = t[start..end].trim();
            Some(
                text.replace("&apos;", "'")
                    .replace("&quot;", "\"")
                    .replace("&lt;", "<")
                    .replace("&gt;", ">")
                    .replace("&amp;", "&"),
            )
        })
        .collect()
}

#[test]
fn the_stacked_svg_has_its_bars_labels_and_order() {
    let b = demo_breakdown("q11");
    let svg = svg(&b, Kind::Stacked, &source()).unwrap_or_else(|e| panic!("{e}"));
    assert!(svg.contains("<title id=\"chart-q11-title\">Some people suggest"));
    assert!(svg.contains("<desc id=\"chart-q11-desc\">100% stacked bar chart"));
    assert!(svg.contains("role=\"img\""));
    let t = texts(&svg);
    // Legend in the definition's order, then the bars: all respondents
    // first, then the groups in the definition's order.
    let pos = |s: &str| {
        t.iter()
            .position(|x| x == s || x.starts_with(&format!("{s} (")))
            .unwrap_or_else(|| panic!("no '{s}' in {t:?}"))
    };
    assert!(pos("Definitely") < pos("Probably"));
    assert!(pos("Probably not") < pos("Don't know"));
    assert!(pos("All respondents") < pos("Acute trust"));
    assert!(pos("Acute trust") < pos("Ambulance trust"));
    assert!(t.contains(&"n = 252".to_owned()));
    assert!(
        t.contains(&"n = 7".to_owned()),
        "the ambulance trusts' base"
    );
    // The overall split of q11: 96, 93, 33, 12, 18 of 252 → 38%, 37%, 13%,
    // 5%, 7%; wide segments carry their label.
    for label in ["38%", "37%", "13%"] {
        assert!(t.contains(&label.to_owned()), "{label} in {t:?}");
    }
    // One filled rectangle per segment with a share, per bar, plus legend
    // swatches, in the palette's colours; a small base's figures sit on a
    // patch of their colour, clear of its stripes.
    let blue = svg.matches("fill=\"#08519C\"").count();
    let with_definitely = |small: bool| {
        std::iter::once(&b.total)
            .chain(&b.groups)
            .filter(|g| g.counts["definitely"] > 0 && g.small_base == small)
            .count()
    };
    assert_eq!(
        blue,
        1 + with_definitely(false) + 2 * with_definitely(true),
        "the legend swatch, one segment per bar, and the small bases' patches"
    );
    assert!(svg.contains("<polyline"), "small bases are hatched");
    assert!(t.join(" ").contains("Ambulance trust (small base)"));
    assert!(t.join(" ").contains("Small base: fewer than 10"));
    assert!(
        svg.contains("fill=\"#BDBDBD\""),
        "don't know is neutral grey"
    );
}

#[test]
fn long_group_labels_wrap_instead_of_being_cut() {
    let b = demo_breakdown("q1");
    let svg = svg(&b, Kind::Stacked, &source()).unwrap_or_else(|e| panic!("{e}"));
    let joined = texts(&svg).join(" ");
    for g in &b.groups {
        for word in g.label.split_whitespace() {
            assert!(joined.contains(word), "{word} of {} missing", g.label);
        }
    }
}

#[test]
fn png_is_wide_enough_and_decodes() {
    let b = demo_breakdown("q8");
    let png = png(&b, Kind::Stacked, &source()).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(&png[1..4], b"PNG");
    // Width and height from the IHDR chunk.
    let w = u32::from_be_bytes([png[16], png[17], png[18], png[19]]);
    let h = u32::from_be_bytes([png[20], png[21], png[22], png[23]]);
    assert!(w >= 800, "{w}");
    assert!(h > 300, "{h}");
}

#[test]
fn multiple_choice_is_grouped_or_overall_but_never_stacked() {
    let b = demo_breakdown("q5b");
    assert!(matches!(
        svg(&b, Kind::Stacked, &source()),
        Err(ChartError::Unsupported(_))
    ));
    assert_eq!(Kind::default_for(b.kind), Kind::Grouped);
    let overall = svg(&b, Kind::Overall, &source()).unwrap_or_else(|e| panic!("{e}"));
    assert!(texts(&overall).iter().any(|t| t == "Finances"));
    assert!(overall.contains("could choose more than one"));
    assert!(overall.contains("Bar chart of all respondents"));
    assert!(!texts(&overall).iter().any(|t| t.starts_with("Acute trust")));
}

#[test]
fn png_text_is_drawn_as_wide_as_it_is_measured() {
    use plotters::prelude::{BitMapBackend, IntoDrawingArea};
    let line = "Acute trust leaders (n = 23): mental health, finances";
    let face = super::text::font(13.0);
    let (w, h) = (500u32, 40u32);
    let mut pixels = vec![255u8; (w * h * 3) as usize];
    {
        let area = BitMapBackend::with_buffer(&mut pixels, (w, h)).into_drawing_area();
        let label = super::text::Pen { raster: true }.text(line, (10, 10), face);
        area.draw(&label).unwrap_or_else(|e| panic!("{e}"));
        area.present().unwrap_or_else(|e| panic!("{e}"));
    }
    let inked: Vec<u32> = (0..w)
        .filter(|&x| (0..h).any(|y| pixels[((y * w + x) * 3) as usize] < 160))
        .collect();
    let drawn = match (inked.first(), inked.last()) {
        (Some(a), Some(b)) => (b - a + 1) as i32,
        _ => 0,
    };
    // Side bearings of the first and last glyph aside, the ink spans the
    // measured width: text neither spreads out nor runs over its space.
    let measured = super::text::width(face, line);
    assert!(
        (measured - drawn).abs() <= 3,
        "drawn {drawn}, measured {measured}"
    );
    // And the em is the size: DejaVu's capitals are 0.73 em tall.
    let rows: Vec<u32> = (0..h)
        .filter(|&y| (10..20).any(|x| pixels[((y * w + x) * 3) as usize] < 160))
        .collect();
    let cap = rows.len() as f64;
    assert!((cap - 0.73 * 13.0).abs() <= 1.5, "an A {cap} px tall");
}
