//! Adding stored responses to a release's columns, one at a time.
use super::release::{Column, ColumnKind, Options, Release, columns, finish};
use super::scrub::{Scrubbed, scrub};
use super::values::{Texts, Values};
use crate::domain::check::{self, Checked};
use crate::domain::raw::Layout;
use crate::domain::{Consultation, Privacy, QuestionKind};
use crate::storage::CurrentResponse;
use chrono::{Datelike, NaiveDate};

fn iso_week(day: NaiveDate) -> String {
    let w = day.iso_week();
    format!("{}-W{:02}", w.year(), w.week())
}

fn empty(cols: &[Column]) -> Vec<Values> {
    cols.iter()
        .map(|col| match col.kind {
            ColumnKind::Code => Values::Codes(Vec::new()),
            ColumnKind::Flag => Values::Flags(Vec::new()),
            ColumnKind::Id | ColumnKind::When | ColumnKind::Text => Values::Text(Texts::default()),
        })
        .collect()
}

fn push_text(v: &mut Values, x: Option<&str>) {
    if let Values::Text(col) = v {
        col.push(x);
    }
}

/// Builds a release one response at a time (see `release`).
pub struct Builder<'a> {
    c: &'a Consultation,
    layout: Layout<'a>,
    opts: Options,
    cols: Vec<Column>,
    values: Vec<Values>,
    scrubbed: Scrubbed,
    /// The last day's ISO week as text: responses come in runs of a day.
    week: Option<(NaiveDate, String)>,
}

impl<'a> Builder<'a> {
    pub fn new(c: &'a Consultation, opts: &Options) -> Self {
        let cols = columns(c, opts.identified);
        Builder {
            c,
            layout: Layout::new(c),
            opts: *opts,
            values: empty(&cols),
            cols,
            scrubbed: Scrubbed::default(),
            week: None,
        }
    }

    /// Adds a stored response, read from its document straight into the
    /// columns (no answer set in between); it can be dropped once added.
    /// Anonymised releases get their ids when finished.
    pub fn push(&mut self, r: &CurrentResponse) {
        let (c, opts, values) = (self.c, &self.opts, &mut self.values);
        let raws = self.layout.read(&r.answers);
        let answers: Vec<Option<Checked<'_>>> = c
            .questions()
            .zip(&raws)
            .map(|(q, raw)| raw.as_ref().and_then(|v| check::lenient(q, v)))
            .collect();
        let own: Vec<&str> = c
            .questions()
            .zip(&answers)
            .filter(|(q, _)| q.privacy == Privacy::Identifier)
            .filter_map(|(_, a)| match a {
                Some(Checked::Text(t)) => Some(t.as_ref()),
                _ => None,
            })
            .collect();
        push_text(
            &mut values[0],
            opts.identified.then_some(r.response_id.as_str()),
        );
        if opts.identified {
            push_text(&mut values[1], Some(&r.submitted_at.and_utc().to_rfc3339()));
        } else {
            let day = r.submitted_at.date();
            let week = match &self.week {
                Some((d, w)) if *d == day => w,
                _ => &self.week.insert((day, iso_week(day))).1,
            };
            push_text(&mut values[1], Some(week));
        }
        let mut j = 2;
        for (q, answer) in c.questions().zip(&answers) {
            if q.privacy == Privacy::Identifier && !opts.identified {
                continue;
            }
            match (&q.kind, &mut values[j]) {
                (QuestionKind::SingleChoice { .. }, Values::Codes(col)) => {
                    col.push(match answer {
                        Some(Checked::Choice(i)) => u16::try_from(*i).ok(),
                        _ => None,
                    });
                    j += 1;
                }
                (QuestionKind::MultipleChoice { options }, _) => {
                    for o in 0..options.len() {
                        if let Values::Flags(col) = &mut values[j] {
                            col.push(match answer {
                                Some(Checked::Choices(chosen)) => chosen.get(o).copied(),
                                _ => None,
                            });
                        }
                        j += 1;
                    }
                }
                (QuestionKind::FreeText { .. }, Values::Text(col)) => {
                    match answer {
                        Some(Checked::Text(t)) if opts.identified => col.push(Some(t)),
                        Some(Checked::Text(t)) => {
                            col.push(Some(&scrub(t, &own, &mut self.scrubbed)));
                        }
                        _ => col.push(None),
                    }
                    j += 1;
                }
                // Columns are made from the same questions: never mismatched.
                _ => j += 1,
            }
        }
    }

    /// Room for `rows` more responses' codes and flags.
    pub fn reserve(&mut self, rows: usize) {
        for v in &mut self.values {
            v.reserve_exact(rows);
        }
    }

    /// Responses added so far.
    pub fn len(&self) -> usize {
        self.values.first().map_or(0, Values::len)
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Adds the responses `other` holds after these.
    pub fn append(&mut self, other: Builder<'_>) {
        for (mine, theirs) in self.values.iter_mut().zip(other.values) {
            mine.append(theirs);
        }
        self.scrubbed.add(&other.scrubbed);
    }

    pub fn finish(self) -> Release {
        finish(self.c, self.cols, self.values, self.scrubbed, &self.opts)
    }
}
