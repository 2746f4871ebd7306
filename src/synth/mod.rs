//! Synthetic responses for demonstrations and tests, from a seeded
//! generator: the same profile and seed always give the same file.
//!
//! Single-choice questions get exact quotas (largest-remainder
//! apportionment of the profile's counts), so that a data set of the
//! profile's size reproduces its figures exactly whatever the seed; the seed
//! decides who gives which answer. A respondent's answer to `tilt_by`
//! shifts a latent score that orders the options, so groups differ the way
//! the profile says while the totals stay exact.
//!
//! Free text carries the profile's themes (see `text`) and draws from its
//! own stream of the same seed, so that rewording or reweighting themes
//! never changes who gave which closed answer.
pub mod codebook;
mod profile;
mod text;

pub use codebook::DemoCodebook;
pub use profile::{Period, Profile, QuestionProfile, Theme};

use crate::domain::answers::{applies, from_json_lenient};
use crate::domain::{AnswerValue, Answers, Consultation, Question, QuestionId, QuestionKind};
use chrono::{DateTime, Duration, Utc};
use rand::seq::SliceRandom;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use serde::Serialize;
use uuid::Uuid;

#[derive(Debug, Clone, Serialize)]
pub struct SyntheticResponse {
    pub submission_id: Uuid,
    pub submitted_at: DateTime<Utc>,
    pub answers: serde_json::Map<String, serde_json::Value>,
}

/// The file `consult fixtures generate` writes and `responses import` reads.
#[derive(Debug, Clone, Serialize)]
pub struct SyntheticFile {
    pub consultation: String,
    pub synthetic: bool,
    pub description: String,
    pub seed: u64,
    pub responses: Vec<SyntheticResponse>,
}

impl SyntheticFile {
    /// The responses as storage returns them to analyses, for tests and
    /// benchmarks that skip the database.
    pub fn closed_rows(&self, c: &Consultation) -> Vec<crate::storage::ClosedRow> {
        self.responses
            .iter()
            .map(|r| crate::storage::ClosedRow {
                response_id: r.submission_id.to_string(),
                submitted_at: r.submitted_at.naive_utc(),
                closed: crate::domain::closed_codes::encode(&from_json_lenient(c, &r.answers)),
            })
            .collect()
    }
}

/// Splits `total` in proportion to `weights`, each share rounded down and
/// the remainder given to the largest fractions (earlier ones on ties).
pub fn apportion(weights: &[u64], total: usize) -> Vec<usize> {
    let sum: u64 = weights.iter().sum();
    if sum == 0 {
        return vec![0; weights.len()];
    }
    let exact: Vec<f64> = weights
        .iter()
        .map(|&w| w as f64 * total as f64 / sum as f64)
        .collect();
    let mut shares: Vec<usize> = exact.iter().map(|x| x.floor() as usize).collect();
    let mut left = total - shares.iter().sum::<usize>();
    let mut order: Vec<usize> = (0..weights.len()).collect();
    // Stable sort: ties keep the definition's order.
    order.sort_by(|&a, &b| {
        let (fa, fb) = (exact[a] - exact[a].floor(), exact[b] - exact[b].floor());
        fb.total_cmp(&fa)
    });
    for i in order {
        if left == 0 {
            break;
        }
        shares[i] += 1;
        left -= 1;
    }
    shares
}

/// One generated respondent.
pub struct Generated {
    pub submission_id: Uuid,
    pub submitted_at: DateTime<Utc>,
    pub answers: Answers,
    /// The themes each themed free-text answer carries, as indices into
    /// the question's profile themes: what coding the answers should find.
    pub themes: Vec<(QuestionId, Vec<usize>)>,
}

/// Generates `n` responses (the profile's own size when `None`).
pub fn generate(c: &Consultation, p: &Profile, seed: u64, n: Option<usize>) -> SyntheticFile {
    let responses = generate_answers(c, p, seed, n.unwrap_or(p.responses))
        .into_iter()
        .map(|g| SyntheticResponse {
            submission_id: g.submission_id,
            submitted_at: g.submitted_at,
            answers: g.answers.to_json(),
        })
        .collect();
    SyntheticFile {
        consultation: c.slug.to_string(),
        synthetic: true,
        description: p.description.clone(),
        seed,
        responses,
    }
}

/// `n` respondents in order of submission.
pub fn generate_answers(c: &Consultation, p: &Profile, seed: u64, n: usize) -> Vec<Generated> {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let mut text_rng = ChaCha8Rng::seed_from_u64(seed);
    text_rng.set_stream(1);
    let mut people: Vec<Answers> = vec![Answers::default(); n];
    let mut themes: Vec<Vec<(QuestionId, Vec<usize>)>> = vec![Vec::new(); n];
    for q in c.questions() {
        let Some(qp) = p.questions.get(q.id.as_str()) else {
            continue;
        };
        let eligible: Vec<usize> = (0..n).filter(|&i| applies(q, &people[i])).collect();
        match &q.kind {
            QuestionKind::SingleChoice { .. } => {
                single_choice(q, qp, p, &eligible, &mut people, &mut rng)
            }
            QuestionKind::MultipleChoice { .. } => {
                for &i in &eligible {
                    if let Some(v) = multiple_choice(q, qp, &mut rng) {
                        people[i].insert(q.id.clone(), v);
                    }
                }
            }
            QuestionKind::FreeText { max_length, .. } => {
                let share = qp.answered.unwrap_or(1.0);
                let weights = text::ThemeWeights::new(c, q, qp);
                for &i in &eligible {
                    if text_rng.random::<f64>() < share
                        && let Some(w) =
                            text::write(qp, p, &weights, &people[i], *max_length, &mut text_rng)
                    {
                        people[i].insert(q.id.clone(), AnswerValue::Text(w.text));
                        if !w.themes.is_empty() {
                            themes[i].push((q.id.clone(), w.themes));
                        }
                    }
                }
            }
        }
    }
    let span = (p.period.to - p.period.from).num_seconds().max(1);
    let mut out: Vec<Generated> = people
        .into_iter()
        .zip(themes)
        .map(|(answers, themes)| {
            let mut bytes = [0u8; 16];
            rng.fill(&mut bytes);
            Generated {
                submission_id: uuid::Builder::from_random_bytes(bytes).into_uuid(),
                submitted_at: p.period.from + Duration::seconds(rng.random_range(0..=span)),
                answers,
                themes,
            }
        })
        .collect();
    out.sort_by_key(|g| g.submitted_at);
    out
}

fn single_choice(
    q: &Question,
    qp: &QuestionProfile,
    p: &Profile,
    eligible: &[usize],
    people: &mut [Answers],
    rng: &mut ChaCha8Rng,
) {
    let options = q.options();
    let counts = qp.counts.clone().unwrap_or_default();
    // Quotas over the eligible: each option, then the skips last.
    let mut weights: Vec<u64> = options
        .iter()
        .map(|o| counts.get(o.code.as_str()).copied().unwrap_or(0))
        .collect();
    weights.push(qp.skipped);
    let quotas = apportion(&weights, eligible.len());
    let mut pool: Vec<usize> = eligible.to_vec();
    pool.shuffle(rng);
    // Skips and neutral options ("don't know") go to random respondents;
    // the scale options to the rest, ordered by tilted latent score.
    let skips = quotas[options.len()];
    pool.drain(..skips.min(pool.len()));
    for (k, o) in options.iter().enumerate() {
        if o.neutral {
            let take = quotas[k].min(pool.len());
            for i in pool.drain(..take) {
                people[i].insert(q.id.clone(), AnswerValue::Choice(o.code.clone()));
            }
        }
    }
    let by = p.tilt_by.as_deref();
    let mut scored: Vec<(f64, usize)> = pool
        .into_iter()
        .map(|i| {
            let shift = by
                .and_then(|b| match people[i].get(b) {
                    Some(AnswerValue::Choice(g)) => qp.tilt.get(g.as_str()).copied(),
                    _ => None,
                })
                .unwrap_or(0.0);
            // The sum of three uniforms: a bell shape, spread about 1.
            let noise: f64 = (0..3).map(|_| rng.random::<f64>() - 0.5).sum::<f64>() * 2.0;
            (shift + noise, i)
        })
        .collect();
    scored.sort_by(|a, b| b.0.total_cmp(&a.0));
    let mut next = scored.into_iter().map(|(_, i)| i);
    for (k, o) in options.iter().enumerate() {
        if !o.neutral {
            for i in next.by_ref().take(quotas[k]) {
                people[i].insert(q.id.clone(), AnswerValue::Choice(o.code.clone()));
            }
        }
    }
}

fn multiple_choice(
    q: &Question,
    qp: &QuestionProfile,
    rng: &mut ChaCha8Rng,
) -> Option<AnswerValue> {
    if rng.random::<f64>() >= qp.answered.unwrap_or(1.0) {
        return None;
    }
    let chances = qp.chosen.clone().unwrap_or_default();
    let mut picked: Vec<_> = q
        .options()
        .iter()
        .filter(|o| rng.random::<f64>() < chances.get(o.code.as_str()).copied().unwrap_or(0.0))
        .map(|o| o.code.clone())
        .collect();
    if picked.is_empty() {
        // Those who answer pick at least one: the likeliest.
        let best = q.options().iter().max_by(|a, b| {
            let ca = chances.get(a.code.as_str()).copied().unwrap_or(0.0);
            let cb = chances.get(b.code.as_str()).copied().unwrap_or(0.0);
            ca.total_cmp(&cb)
        })?;
        picked.push(best.code.clone());
    }
    Some(AnswerValue::Choices(picked))
}

#[cfg(test)]
mod tests;
#[cfg(test)]
mod theme_tests;
