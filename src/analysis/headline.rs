//! The report's headline sentences, made from the data: each question
//! whose definition has a `headline` gives one.
use super::breakdown::Breakdown;
use super::stats::{percent, share_in_words};
use crate::domain::Headline;
use serde::Serialize;

/// A p-value below this is reported as a clear difference between groups.
pub const SIGNIFICANT: f64 = 0.05;

#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct HeadlineSentence {
    pub question: String,
    pub sentence: String,
    pub count: u64,
    pub base: u64,
    /// 0–100, unrounded.
    pub percent: f64,
}

fn capitalise(s: &str) -> String {
    let mut chars = s.chars();
    chars
        .next()
        .map(|c| c.to_uppercase().chain(chars).collect())
        .unwrap_or_default()
}

/// Every headline of the consultation, each from its question's breakdown
/// by stakeholder group over `frame`.
pub fn headlines(
    c: &crate::domain::Consultation,
    frame: &polars::prelude::DataFrame,
) -> polars::prelude::PolarsResult<Vec<HeadlineSentence>> {
    let mut out = Vec::new();
    for q in c.questions() {
        let Some(h) = &q.headline else { continue };
        let raw = super::RawSpec {
            question: Some(q.id.to_string()),
            ..super::RawSpec::default()
        };
        // A definition with a headline has a single-choice question, so
        // the spec parses; a definition without stakeholder_group gives none.
        let Ok(spec) = super::Spec::parse(c, &raw) else {
            continue;
        };
        out.extend(sentence(&super::breakdown::breakdown(frame, &spec)?, h));
    }
    Ok(out)
}

/// The sentence for `h` from a breakdown of its question (the "all
/// respondents" row, and the test for the difference between groups).
pub fn sentence(b: &Breakdown, h: &Headline) -> Option<HeadlineSentence> {
    let category = h.category.as_str();
    let count = match b.total.counts.get(category) {
        Some(&k) => k,
        None => b.combined.iter().find(|c| c.code == category)?.total.count,
    };
    let base = b.total.n;
    let pct = percent(count, base)?;
    let share = share_in_words(count, base);
    let mut sentence = if share.starts_with("exactly") {
        format!(
            "{} of respondents {} ({count} of {base}).",
            capitalise(&share),
            h.text
        )
    } else {
        format!(
            "{} respondents {} ({count} of {base}, {pct:.0}%).",
            capitalise(&share),
            h.text
        )
    };
    if (30.0..50.0).contains(&pct) {
        sentence.pop();
        sentence.push_str(": a substantial minority, not a majority.");
    }
    if let Some(t) = &b.test
        && t.p_value < SIGNIFICANT
    {
        let p = if t.p_value < 0.001 {
            "< 0.001".to_owned()
        } else {
            format!("= {:.3}", t.p_value)
        };
        let caveat = if t.low_expected_counts {
            "; some groups are small, so read this with care"
        } else {
            ""
        };
        sentence.push_str(&format!(
            " Views differ between groups (chi-square {:.1}, df {}, p {p}{caveat}).",
            t.statistic, t.df
        ));
    }
    Some(HeadlineSentence {
        question: b.question.clone(),
        sentence,
        count,
        base,
        percent: pct,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::{RawSpec, Spec, breakdown::breakdown, frame};
    use crate::synth;

    fn demo_sentences() -> Vec<HeadlineSentence> {
        let (c, p) = crate::test_support::demo_with_profile();
        let rows = synth::generate(&c, &p, 2020, None).closed_rows(&c);
        let df = frame::build(&c, &rows).unwrap_or_else(|e| panic!("{e}"));
        c.questions()
            .filter_map(|q| {
                let h = q.headline.as_ref()?;
                let raw = RawSpec {
                    question: Some(q.id.to_string()),
                    ..RawSpec::default()
                };
                let spec = Spec::parse(&c, &raw).ok()?;
                sentence(&breakdown(&df, &spec).ok()?, h)
            })
            .collect()
    }

    #[test]
    fn the_reports_headlines_come_out_of_the_fixture_data() {
        let s = demo_sentences();
        let find = |q: &str| {
            s.iter()
                .find(|h| h.question == q)
                .unwrap_or_else(|| panic!("no headline for {q}"))
        };
        // 121 + 81 of 252 = 80.2%.
        assert!(
            find("q1")
                .sentence
                .starts_with("8 in 10 respondents agree or partly agree")
        );
        // 117 + 85 of 252 = 80.2%.
        assert!(
            find("q7")
                .sentence
                .starts_with("8 in 10 respondents support a shared statutory duty")
        );
        // 151 of 252 = 59.9%.
        assert!(
            find("q8")
                .sentence
                .starts_with("6 in 10 respondents want the foundation trust model tweaked")
        );
        // 88 + 84 of 252 = 68.3%.
        assert!(
            find("q9")
                .sentence
                .starts_with("Almost 7 in 10 respondents want more statutory powers")
        );
        // 96 + 93 = 189 of 252 = 75%.
        let q11 = find("q11");
        assert!(
            q11.sentence
                .starts_with("Exactly three quarters of respondents say"),
            "{}",
            q11.sentence
        );
        assert!(q11.sentence.contains("(189 of 252)"));
        // 50 + 64 = 114 of 252 = 45.2%, differing between groups.
        let q10 = find("q10");
        assert_eq!((q10.count, q10.base), (114, 252));
        assert!(q10.sentence.starts_with(
            "More than 4 in 10 respondents support ICSs becoming new statutory bodies"
        ));
        assert!(q10.sentence.contains("not a majority"), "{}", q10.sentence);
        assert!(
            q10.sentence.contains("Views differ between groups"),
            "{}",
            q10.sentence
        );
    }
}
