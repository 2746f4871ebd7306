//! Answer counts per closed question, overall.
use super::frame::{answered_column, codes, option_column};
use crate::domain::{Consultation, QuestionKind};
use polars::prelude::{DataFrame, PolarsResult};
use serde::Serialize;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct OptionCount {
    pub code: String,
    pub label: String,
    pub count: u64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct QuestionTally {
    pub id: String,
    pub kind: crate::domain::QuestionType,
    /// Respondents who gave any answer to the question: the base.
    pub answered: u64,
    /// Options in the definition's order. For multiple choice, the number
    /// of respondents who chose each.
    pub options: Vec<OptionCount>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Tally {
    pub responses: u64,
    pub questions: Vec<QuestionTally>,
}

impl Tally {
    /// Counts the responses in `df` (see `frame`) under definition `c`.
    /// Codes the definition no longer lists are not counted as answers.
    pub fn from_frame(c: &Consultation, df: &DataFrame) -> PolarsResult<Tally> {
        let mut questions = Vec::new();
        for q in c.questions() {
            let id = q.id.as_str();
            let (answered, counts): (u64, Vec<u64>) = match &q.kind {
                QuestionKind::FreeText { .. } => continue,
                QuestionKind::SingleChoice { options, .. } => {
                    let mut counts = vec![0u64; options.len()];
                    for code in codes(df, id)?.iter().flatten() {
                        if let Some(k) = options.iter().position(|o| o.code.as_str() == code) {
                            counts[k] += 1;
                        }
                    }
                    (counts.iter().sum(), counts)
                }
                QuestionKind::MultipleChoice { options } => {
                    let trues = |name: String| -> PolarsResult<u64> {
                        Ok(df.column(&name)?.bool()?.num_trues() as u64)
                    };
                    let counts = options
                        .iter()
                        .map(|o| trues(option_column(id, o.code.as_str())))
                        .collect::<PolarsResult<Vec<u64>>>()?;
                    (trues(answered_column(id))?, counts)
                }
            };
            questions.push(QuestionTally {
                id: id.to_owned(),
                kind: q.question_type(),
                answered,
                options: q
                    .options()
                    .iter()
                    .zip(counts)
                    .map(|(o, count)| OptionCount {
                        code: o.code.as_str().to_owned(),
                        label: o.label.clone(),
                        count,
                    })
                    .collect(),
            });
        }
        Ok(Tally {
            responses: df.height() as u64,
            questions,
        })
    }

    pub fn question(&self, id: &str) -> Option<&QuestionTally> {
        self.questions.iter().find(|q| q.id == id)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::storage::ClosedRow;

    fn row(closed: &str) -> ClosedRow {
        ClosedRow {
            response_id: String::new(),
            submitted_at: chrono::NaiveDateTime::default(),
            closed: closed.into(),
        }
    }

    use crate::test_support::demo;

    fn tally(rows: &[ClosedRow]) -> Tally {
        let c = demo();
        let df = super::super::frame::build(&c, rows).unwrap_or_else(|e| panic!("{e}"));
        Tally::from_frame(&c, &df).unwrap_or_else(|e| panic!("{e}"))
    }

    #[test]
    fn counts_by_hand() {
        // Three respondents: r1 and r2 answer q1, r3 skips it (r3 gave
        // only free text, which is not part of the closed answers); q5b is
        // multiple choice, r1 picks two options, r2 one, r3 none.
        let t = tally(&[
            row("q1=agree;q5b=mental_health,quality"),
            row("q1=partly_agree;q5b=quality"),
            row(""),
        ]);
        assert_eq!(t.responses, 3);
        let q1 = t.question("q1").unwrap_or_else(|| panic!("q1"));
        assert_eq!(q1.answered, 2);
        let counts: Vec<(&str, u64)> = q1
            .options
            .iter()
            .map(|o| (o.code.as_str(), o.count))
            .collect();
        assert_eq!(counts[0], ("agree", 1));
        assert_eq!(counts[1], ("partly_agree", 1));
        assert_eq!(counts.iter().map(|c| c.1).sum::<u64>(), 2);
        let q5b = t.question("q5b").unwrap_or_else(|| panic!("q5b"));
        assert_eq!(q5b.answered, 2);
        let count = |code: &str| q5b.options.iter().find(|o| o.code == code).map(|o| o.count);
        assert_eq!(count("quality"), Some(2));
        assert_eq!(count("mental_health"), Some(1));
        assert!(t.question("q1_why").is_none(), "free text is not tallied");
    }

    #[test]
    fn unknown_codes_and_empty_data_count_nothing() {
        let t = tally(&[row("q1=retired_code;q5b=retired_code")]);
        assert_eq!(t.responses, 1);
        for id in ["q1", "q5b"] {
            let q = t.question(id).unwrap_or_else(|| panic!("{id}"));
            assert_eq!(q.answered, 0, "{id}: a code no longer listed is no answer");
            assert!(q.options.iter().all(|o| o.count == 0));
        }
        let empty = tally(&[]);
        assert_eq!(empty.responses, 0);
        assert!(empty.questions.iter().all(|q| q.answered == 0));
    }
}
