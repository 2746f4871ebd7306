//! Answer counts per closed question, overall.
use crate::domain::{Consultation, QuestionKind};
use crate::storage::CurrentAnswer;
use serde::Serialize;
use std::collections::{HashMap, HashSet};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct OptionCount {
    pub code: String,
    pub label: String,
    pub count: u64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct QuestionTally {
    pub id: String,
    pub kind: &'static str,
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
    /// Counts `rows` (current answers, any order) under definition `c`.
    /// Codes the definition no longer lists are left out of the counts.
    pub fn count(c: &Consultation, rows: &[CurrentAnswer]) -> Tally {
        let responses: HashSet<&str> = rows.iter().map(|r| r.response_id.as_str()).collect();
        // (question, code) → respondents; a respondent counts once per code.
        let mut chosen: HashMap<(&str, &str), HashSet<&str>> = HashMap::new();
        let mut answered: HashMap<&str, HashSet<&str>> = HashMap::new();
        for r in rows {
            if let Some(code) = &r.option_code {
                chosen
                    .entry((r.question_id.as_str(), code.as_str()))
                    .or_default()
                    .insert(r.response_id.as_str());
                answered
                    .entry(r.question_id.as_str())
                    .or_default()
                    .insert(r.response_id.as_str());
            }
        }
        let questions = c
            .questions()
            .filter(|q| !matches!(q.kind, QuestionKind::FreeText { .. }))
            .map(|q| QuestionTally {
                id: q.id.as_str().to_owned(),
                kind: q.kind_name(),
                answered: answered.get(q.id.as_str()).map_or(0, |s| s.len() as u64),
                options: q
                    .options()
                    .iter()
                    .map(|o| OptionCount {
                        code: o.code.as_str().to_owned(),
                        label: o.label.clone(),
                        count: chosen
                            .get(&(q.id.as_str(), o.code.as_str()))
                            .map_or(0, |s| s.len() as u64),
                    })
                    .collect(),
            })
            .collect();
        Tally {
            responses: responses.len() as u64,
            questions,
        }
    }

    pub fn question(&self, id: &str) -> Option<&QuestionTally> {
        self.questions.iter().find(|q| q.id == id)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(response: &str, question: &str, position: i32, code: &str) -> CurrentAnswer {
        CurrentAnswer {
            response_id: response.into(),
            submitted_at: chrono::NaiveDateTime::default(),
            question_id: question.into(),
            position,
            option_code: Some(code.into()),
            text_value: None,
        }
    }

    fn text(response: &str, question: &str, value: &str) -> CurrentAnswer {
        CurrentAnswer {
            option_code: None,
            text_value: Some(value.into()),
            ..row(response, question, 0, "")
        }
    }

    fn demo() -> Consultation {
        let text = include_str!("../../fixtures/consultations/next-steps-for-system-working.json");
        Consultation::from_json(text).unwrap_or_else(|e| panic!("{e:?}"))
    }

    #[test]
    fn counts_by_hand() {
        // Three respondents: r1 and r2 answer q1, r3 skips it; q5b is
        // multiple choice, r1 picks two options, r2 one, r3 none.
        let rows = vec![
            row("r1", "q1", 0, "agree"),
            row("r2", "q1", 0, "partly_agree"),
            row("r1", "q5b", 0, "mental_health"),
            row("r1", "q5b", 1, "quality"),
            row("r2", "q5b", 0, "quality"),
            text("r3", "q1_why", "Because."),
        ];
        let t = Tally::count(&demo(), &rows);
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
        let quality = q5b
            .options
            .iter()
            .find(|o| o.code == "quality")
            .map(|o| o.count);
        assert_eq!(quality, Some(2));
        let mh = q5b
            .options
            .iter()
            .find(|o| o.code == "mental_health")
            .map(|o| o.count);
        assert_eq!(mh, Some(1));
        assert!(t.question("q1_why").is_none(), "free text is not tallied");
    }

    #[test]
    fn unknown_codes_and_empty_data_count_nothing() {
        let t = Tally::count(&demo(), &[row("r1", "q1", 0, "retired_code")]);
        assert_eq!(t.responses, 1);
        let q1 = t.question("q1").unwrap_or_else(|| panic!("q1"));
        assert_eq!(q1.answered, 1);
        assert!(q1.options.iter().all(|o| o.count == 0));
        let empty = Tally::count(&demo(), &[]);
        assert_eq!(empty.responses, 0);
        assert!(empty.questions.iter().all(|q| q.answered == 0));
    }
}
