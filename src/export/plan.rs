//! A release's column layout, decided once from the definition: which
//! columns it has, in which order, and where each question's answer goes.
//! The builder writes by this plan and k-anonymity reads the
//! quasi-identifiers' places from it, so that nothing assumes an order.
use super::values::{Texts, Values};
use crate::domain::{Consultation, Privacy, QuestionKind};
use serde::Serialize;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ColumnKind {
    /// A response id (fresh and random in anonymised exports).
    Id,
    /// When submitted: an ISO week, or the full time when identified.
    When,
    /// An answer code of a single-choice question.
    Code,
    /// 1 when the option was chosen, 0 when not, empty when the question
    /// was not answered.
    Flag,
    Text,
}

#[derive(Debug, Clone, Serialize)]
pub struct Column {
    pub name: String,
    pub title: String,
    pub kind: ColumnKind,
    /// For codes: every value the column can hold, with its label.
    pub categories: Vec<(String, String)>,
}

/// Where one question's answer goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Place {
    /// A code column (single choice).
    Code(usize),
    /// One 0/1 column per option, from `first` on (multiple choice).
    Flags { first: usize, count: usize },
    /// A text column (free text).
    Text(usize),
}

#[derive(Debug, Clone)]
pub struct Plan {
    pub columns: Vec<Column>,
    /// The response id's column.
    pub id: usize,
    /// The submission time's column (a week, or the time when identified).
    pub when: usize,
    /// Per question of the definition, in its order: where its answer
    /// goes, or `None` when the release leaves it out.
    pub questions: Vec<Option<Place>>,
    /// The quasi-identifiers' columns.
    pub quasi: Vec<usize>,
}

/// A value of the wrong kind for its column, or a code outside the
/// column's categories: the plan and the data disagree, which is a bug.
#[derive(Debug, thiserror::Error)]
#[error("the release's column {column} ({name}) cannot take {what}")]
pub struct Mismatch {
    pub column: usize,
    pub name: String,
    pub what: &'static str,
}

fn column(name: String, title: String, kind: ColumnKind) -> Column {
    Column {
        name,
        title,
        kind,
        categories: Vec::new(),
    }
}

impl Plan {
    pub fn new(c: &Consultation, identified: bool) -> Plan {
        let mut columns = vec![
            column(
                "response_id".into(),
                "Response (a random id, the same only within this file)".into(),
                ColumnKind::Id,
            ),
            if identified {
                column(
                    "submitted_at".into(),
                    "Submitted at (UTC)".into(),
                    ColumnKind::When,
                )
            } else {
                column(
                    "week_submitted".into(),
                    "Week submitted (ISO 8601 week)".into(),
                    ColumnKind::When,
                )
            },
        ];
        let (mut questions, mut quasi) = (Vec::new(), Vec::new());
        for q in c.questions() {
            if q.privacy == Privacy::Identifier && !identified {
                questions.push(None);
                continue;
            }
            let at = columns.len();
            let place = match &q.kind {
                QuestionKind::SingleChoice { options, .. } => {
                    let mut col = column(q.id.to_string(), q.text.clone(), ColumnKind::Code);
                    col.categories = options
                        .iter()
                        .map(|o| (o.code.to_string(), o.label.clone()))
                        .collect();
                    columns.push(col);
                    Place::Code(at)
                }
                QuestionKind::MultipleChoice { options } => {
                    for o in options {
                        columns.push(column(
                            format!("{}__{}", q.id, o.code),
                            format!("{} {}", q.text, o.label),
                            ColumnKind::Flag,
                        ));
                    }
                    Place::Flags {
                        first: at,
                        count: options.len(),
                    }
                }
                QuestionKind::FreeText { .. } => {
                    columns.push(column(q.id.to_string(), q.text.clone(), ColumnKind::Text));
                    Place::Text(at)
                }
            };
            if q.privacy == Privacy::QuasiIdentifier
                && let Place::Code(j) = place
            {
                quasi.push(j);
            }
            questions.push(Some(place));
        }
        Plan {
            columns,
            id: 0,
            when: 1,
            questions,
            quasi,
        }
    }

    /// Empty values for each column, of its kind.
    pub fn empty(&self) -> Vec<Values> {
        self.columns
            .iter()
            .map(|col| match col.kind {
                ColumnKind::Code => Values::Codes(Vec::new()),
                ColumnKind::Flag => Values::Flags(Vec::new()),
                ColumnKind::Id | ColumnKind::When | ColumnKind::Text => {
                    Values::Text(Texts::default())
                }
            })
            .collect()
    }

    pub fn mismatch(&self, column: usize, what: &'static str) -> Mismatch {
        Mismatch {
            column,
            name: self
                .columns
                .get(column)
                .map_or_else(|| "none".into(), |c| c.name.clone()),
            what,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_question_has_its_place_and_the_places_tile_the_columns() {
        let c = crate::test_support::demo();
        for identified in [false, true] {
            let plan = Plan::new(&c, identified);
            assert_eq!(plan.questions.len(), c.questions().count());
            let mut covered = vec![plan.id, plan.when];
            for (q, place) in c.questions().zip(&plan.questions) {
                let withheld = q.privacy == Privacy::Identifier && !identified;
                assert_eq!(place.is_none(), withheld, "{}", q.id);
                match place {
                    Some(Place::Code(j) | Place::Text(j)) => {
                        assert_eq!(plan.columns[*j].name, q.id.as_str());
                        covered.push(*j);
                    }
                    Some(Place::Flags { first, count }) => {
                        assert_eq!(*count, q.options().len());
                        for (k, o) in q.options().iter().enumerate() {
                            assert_eq!(
                                plan.columns[first + k].name,
                                format!("{}__{}", q.id, o.code)
                            );
                            covered.push(first + k);
                        }
                    }
                    None => {}
                }
            }
            covered.sort_unstable();
            assert_eq!(covered, (0..plan.columns.len()).collect::<Vec<_>>());
            let quasi: Vec<&str> = plan
                .quasi
                .iter()
                .map(|&j| plan.columns[j].name.as_str())
                .collect();
            assert_eq!(quasi, ["stakeholder_group", "region", "role"]);
            assert_eq!(plan.empty().len(), plan.columns.len());
        }
    }
}
