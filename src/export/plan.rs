//! A release's column layout, decided once from the definition: which
//! columns it has, in which order, and where each question's answer goes.
//! The builder writes by this plan and k-anonymity reads the
//! quasi-identifiers' places from it, so that nothing assumes an order.
use super::values::{Texts, Values};
use crate::domain::coding::{Codebook, Theme, ThemeId};
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
    /// 1 when staff coded the answer with the theme, 0 when they coded it
    /// without it, empty when the answer is not coded (or not given).
    Theme,
}

#[derive(Debug, Clone, Serialize)]
pub struct Column {
    pub name: String,
    pub title: String,
    pub kind: ColumnKind,
    /// For codes: every value the column can hold, with its label.
    pub categories: Vec<(String, String)>,
    /// What the values mean, when the title alone cannot say (themes).
    pub description: Option<String>,
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
    /// The theme columns of each codable free-text question with themes.
    pub themes: Vec<ThemePlace>,
}

/// A codable free-text question's theme columns: one per live theme, from
/// `first` on, right after the question's text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ThemePlace {
    /// The question's position in the definition.
    pub question: usize,
    pub question_id: String,
    pub first: usize,
    /// The themes, in column order.
    pub ids: Vec<ThemeId>,
}

/// A theme column's name: `<question>__theme__<id>`.
pub fn theme_column(question: &str, id: ThemeId) -> String {
    format!("{question}__theme__{id}")
}

/// What a theme column's cells mean, said in every codebook: an empty
/// cell is "not coded", never "no".
pub const THEME_VALUES: &str = "1 = staff coded the answer with this theme; 0 = staff coded \
     the answer without it (other themes, or none applies); empty = the answer has not been \
     coded yet, or the question was not answered. An empty cell is not a 0: leave those \
     answers out of any share of this theme.";

/// A theme column's description: the theme's own, then what its cells mean.
fn theme_description(t: &Theme) -> String {
    let label = t.label.as_str();
    let about = t.description.as_str().trim();
    if about.is_empty() {
        format!("Theme “{label}”. {THEME_VALUES}")
    } else if about.ends_with(['.', '!', '?']) {
        format!("Theme “{label}”: {about} {THEME_VALUES}")
    } else {
        format!("Theme “{label}”: {about}. {THEME_VALUES}")
    }
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
        description: None,
    }
}

impl Plan {
    /// The layout for `c`, with a theme column per live theme of `book`.
    pub fn new(c: &Consultation, identified: bool, book: &Codebook) -> Plan {
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
        let (mut questions, mut quasi, mut themes) = (Vec::new(), Vec::new(), Vec::new());
        for (i, q) in c.questions().enumerate() {
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
                    let live = if q.is_codable() {
                        book.of(q.id.as_str())
                    } else {
                        &[]
                    };
                    if !live.is_empty() {
                        themes.push(ThemePlace {
                            question: i,
                            question_id: q.id.to_string(),
                            first: columns.len(),
                            ids: live.iter().map(|t| t.id).collect(),
                        });
                    }
                    for t in live {
                        let mut col = column(
                            theme_column(q.id.as_str(), t.id),
                            format!("{} — theme “{}”", q.text, t.label.as_str()),
                            ColumnKind::Theme,
                        );
                        col.description = Some(theme_description(t));
                        columns.push(col);
                    }
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
            themes,
        }
    }

    /// Empty values for each column, of its kind.
    pub fn empty(&self) -> Vec<Values> {
        self.columns
            .iter()
            .map(|col| match col.kind {
                ColumnKind::Code => Values::Codes(Vec::new()),
                ColumnKind::Flag | ColumnKind::Theme => Values::Flags(Vec::new()),
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
    use crate::test_support::{codebook, demo};

    #[test]
    fn every_question_has_its_place_and_the_places_tile_the_columns() {
        let c = demo();
        let book = codebook(&[
            ("q3", &[(1, "Finance", "Money"), (4, "Workforce", "")]),
            // Identifying answers are never coded: no columns even so.
            ("organisation", &[(1, "Big", "")]),
        ]);
        for identified in [false, true] {
            let plan = Plan::new(&c, identified, &book);
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
            assert_eq!(plan.themes.len(), 1, "q3 only");
            let t = &plan.themes[0];
            let text = c.questions().position(|q| q.id.as_str() == "q3");
            assert_eq!(Some(t.question), text);
            assert_eq!(plan.questions[t.question], Some(Place::Text(t.first - 1)));
            let names: Vec<&str> = (t.first..t.first + t.ids.len())
                .map(|j| plan.columns[j].name.as_str())
                .collect();
            assert_eq!(names, ["q3__theme__1", "q3__theme__4"]);
            covered.extend(t.first..t.first + t.ids.len());
            let finance = &plan.columns[t.first];
            assert_eq!(finance.kind, ColumnKind::Theme);
            assert!(
                finance.title.ends_with(" — theme “Finance”"),
                "{}",
                finance.title
            );
            let about = finance.description.as_deref().unwrap_or("");
            assert!(about.starts_with("Theme “Finance”: Money. 1 = "), "{about}");
            assert!(about.contains("empty = the answer has not been coded yet"));
            let workforce = plan.columns[t.first + 1].description.as_deref();
            assert!(workforce.is_some_and(|d| d.starts_with("Theme “Workforce”. 1 = ")));
            covered.sort_unstable();
            assert_eq!(covered, (0..plan.columns.len()).collect::<Vec<_>>());
            // Themes say what an answer is about, not who gave it.
            let quasi: Vec<&str> = plan
                .quasi
                .iter()
                .map(|&j| plan.columns[j].name.as_str())
                .collect();
            assert_eq!(quasi, ["stakeholder_group", "region", "role"]);
            let empty = plan.empty();
            assert_eq!(empty.len(), plan.columns.len());
            assert!(matches!(empty[t.first], Values::Flags(_)));
        }
    }

    #[test]
    fn without_themes_the_layout_is_as_before() {
        let c = demo();
        let plan = Plan::new(&c, false, &codebook(&[("q3", &[])]));
        assert!(plan.themes.is_empty());
        assert!(plan.columns.iter().all(|col| col.kind != ColumnKind::Theme));
    }
}
