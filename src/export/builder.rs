//! Adding stored responses to a release's columns, one at a time.
use super::coding::Coding;
use super::kanon;
use super::plan::{Mismatch, Place, Plan};
use super::release::{Disclosure, MIN_K, Options, Release};
use super::scrub::{Scrubbed, scrub};
use super::values::{Texts, Values};
use crate::domain::check::{self, Checked};
use crate::domain::coding::is_answer;
use crate::domain::raw::DocumentReader;
use crate::domain::{Consultation, Privacy};
use crate::storage::CurrentResponse;
use chrono::{Datelike, NaiveDate};
use rand::seq::SliceRandom;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

fn iso_week(day: NaiveDate) -> String {
    let w = day.iso_week();
    format!("{}-W{:02}", w.year(), w.week())
}

/// Builds a release one response at a time (see `release`).
pub struct Builder<'a> {
    c: &'a Consultation,
    coding: &'a Coding,
    layout: DocumentReader<'a>,
    opts: Options,
    plan: Plan,
    values: Vec<Values>,
    scrubbed: Scrubbed,
    /// The last day's ISO week as text: responses come in runs of a day.
    week: Option<(NaiveDate, String)>,
}

impl<'a> Builder<'a> {
    pub fn new(c: &'a Consultation, coding: &'a Coding, opts: &Options) -> Self {
        let plan = Plan::new(c, opts.identified, &coding.book);
        Builder {
            c,
            coding,
            layout: DocumentReader::new(c),
            opts: *opts,
            values: plan.empty(),
            plan,
            scrubbed: Scrubbed::default(),
            week: None,
        }
    }

    /// Adds a stored response, read from its document straight into the
    /// columns (no answer set in between); it can be dropped once added.
    /// Anonymised releases get their ids when finished.
    pub fn push(&mut self, r: &CurrentResponse) -> Result<(), Mismatch> {
        let (c, opts, plan, values) = (self.c, &self.opts, &self.plan, &mut self.values);
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
        texts(plan, values, plan.id)?.push(opts.identified.then_some(r.response_id.as_str()));
        if opts.identified {
            texts(plan, values, plan.when)?.push(Some(&r.submitted_at.and_utc().to_rfc3339()));
        } else {
            let day = r.submitted_at.date();
            let week = match &self.week {
                Some((d, w)) if *d == day => w,
                _ => &self.week.insert((day, iso_week(day))).1,
            };
            texts(plan, values, plan.when)?.push(Some(week));
        }
        for (place, answer) in plan.questions.iter().zip(&answers) {
            match (place, answer) {
                (None, _) => {}
                (Some(Place::Code(j)), answer) => {
                    let code = match answer {
                        Some(Checked::Choice(i)) => Some(
                            u16::try_from(*i).map_err(|_| plan.mismatch(*j, "so many options"))?,
                        ),
                        _ => None,
                    };
                    values
                        .get_mut(*j)
                        .and_then(Values::codes_mut)
                        .ok_or_else(|| plan.mismatch(*j, "a code"))?
                        .push(code);
                }
                (Some(Place::Flags { first, count }), answer) => {
                    for o in 0..*count {
                        let j = first + o;
                        values
                            .get_mut(j)
                            .and_then(Values::flags_mut)
                            .ok_or_else(|| plan.mismatch(j, "a flag"))?
                            .push(match answer {
                                Some(Checked::Choices(chosen)) => chosen.get(o).copied(),
                                _ => None,
                            });
                    }
                }
                (Some(Place::Text(j)), answer) => {
                    let col = texts(plan, values, *j)?;
                    match answer {
                        Some(Checked::Text(t)) if opts.identified => col.push(Some(t)),
                        Some(Checked::Text(t)) => {
                            col.push(Some(&scrub(t, &own, &mut self.scrubbed)));
                        }
                        _ => col.push(None),
                    }
                }
            }
        }
        for t in &plan.themes {
            let answered =
                matches!(answers.get(t.question), Some(Some(Checked::Text(a))) if is_answer(a));
            // Unanswered and not coded are both empty: never a 0.
            let carried = answered
                .then(|| self.coding.of(&r.response_id, &t.question_id))
                .flatten();
            for (k, id) in t.ids.iter().enumerate() {
                let j = t.first + k;
                values
                    .get_mut(j)
                    .and_then(Values::flags_mut)
                    .ok_or_else(|| plan.mismatch(j, "a theme flag"))?
                    .push(carried.map(|themes| themes.contains(&id.as_i32())));
            }
        }
        Ok(())
    }

    /// Room for `rows` more responses' codes and flags.
    pub fn reserve(&mut self, rows: usize) {
        for v in &mut self.values {
            v.reserve_exact(rows);
        }
    }

    /// Adds the responses `other` holds after these.
    pub fn append(&mut self, other: Builder<'_>) -> Result<(), Mismatch> {
        for (j, (mine, theirs)) in self.values.iter_mut().zip(other.values).enumerate() {
            if !mine.append(theirs) {
                return Err(self.plan.mismatch(j, "another builder's values"));
            }
        }
        self.scrubbed.add(&other.scrubbed);
        Ok(())
    }

    pub fn finish(self) -> Release {
        finish(self.c, self.plan, self.values, self.scrubbed, &self.opts)
    }
}

/// Column `j`'s text values, or the mismatch.
fn texts<'v>(plan: &Plan, values: &'v mut [Values], j: usize) -> Result<&'v mut Texts, Mismatch> {
    values
        .get_mut(j)
        .and_then(Values::texts_mut)
        .ok_or_else(|| plan.mismatch(j, "text"))
}

/// `n` random ids, as text.
fn fresh_ids(mut rng: ChaCha8Rng, n: usize) -> Texts {
    let mut ids = Texts::default();
    let mut id = uuid::Uuid::encode_buffer();
    for _ in 0..n {
        let mut bytes = [0u8; 16];
        rng.fill(&mut bytes);
        let text = uuid::Builder::from_random_bytes(bytes)
            .into_uuid()
            .hyphenated()
            .encode_lower(&mut id);
        ids.push(Some(text));
    }
    ids
}

fn finish(
    c: &Consultation,
    plan: super::plan::Plan,
    mut values: Vec<Values>,
    scrubbed: Scrubbed,
    opts: &Options,
) -> Release {
    let k = opts.k.max(MIN_K);
    let mut cols = plan.columns;
    let n = values.get(plan.id).map_or(0, Values::len);
    let mut disclosure = Disclosure {
        identified: opts.identified,
        k,
        rows_stored: n,
        ..Disclosure::default()
    };
    if opts.identified {
        disclosure.timestamps = "exact (identified export)".into();
        disclosure.rows_released = n;
        return Release {
            columns: cols,
            values,
            rows: (0..n).collect(),
            disclosure,
        };
    }
    let mut rng = match opts.seed {
        Some(s) => ChaCha8Rng::seed_from_u64(s),
        None => ChaCha8Rng::from_os_rng(),
    };
    // Fresh ids are made while the quasi-identifiers are protected.
    let id_rng = ChaCha8Rng::from_rng(&mut rng);
    let qi = plan.quasi;
    let (ids, outcome) = std::thread::scope(|scope| {
        let ids = scope.spawn(move || fresh_ids(id_rng, n));
        let outcome = kanon::protect(&mut values, &qi, &mut cols, k);
        // A panic there is a bug: it goes on as a panic here.
        let ids = ids
            .join()
            .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
        (ids, outcome)
    });
    values[plan.id] = Values::Text(ids);
    let mut rows = outcome.rows;
    rows.shuffle(&mut rng);
    disclosure.quasi_identifiers = qi.iter().map(|&j| cols[j].name.clone()).collect();
    disclosure.generalised = outcome.generalised;
    disclosure.suppressed_columns = outcome.suppressed_columns;
    disclosure.suppressed_rows = outcome.suppressed_rows;
    disclosure.min_k = outcome.min_class;
    disclosure.rows_released = rows.len();
    disclosure.scrubbed = scrubbed;
    disclosure.timestamps = "coarsened to the ISO week".into();
    disclosure.removed = c
        .questions()
        .filter(|q| q.privacy == Privacy::Identifier)
        .map(|q| q.id.to_string())
        .chain(
            [
                "internal response ids (replaced by fresh random ids)",
                "receipts, private links and submission ids",
                "exact submission times",
                "IP addresses (never stored)",
            ]
            .map(String::from),
        )
        .collect();
    Release {
        columns: cols,
        values,
        rows,
        disclosure,
    }
}
