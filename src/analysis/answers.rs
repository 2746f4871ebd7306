//! A free-text question's answers as staff read them: picked out of a
//! snapshot's frame by the respondents' single-choice answers, a theme or
//! "not coded yet", then a page of them read fresh from storage (texts and
//! codings), each beside its respondent's single-choice answers.
use super::frame::{ID_HI, ID_LO, answered_column, codes, option_column, text_column};
use super::grouped::filter_expr;
use super::spec::Filters;
use super::{AnalysisError, Snapshot};
use crate::domain::coding::{Assignment, ThemeId};
use crate::domain::{Consultation, Question, QuestionId, QuestionKind};
use crate::storage::Store;
use polars::prelude::{IntoLazy, col};
use std::collections::{BTreeMap, HashSet};
use uuid::Uuid;

pub const PER_PAGE_MAX: u32 = 500;

/// Which answers, checked at the edge.
#[derive(Debug, Clone)]
pub struct AnswerQuery {
    pub question: Question,
    pub filters: Filters,
    pub theme: Option<ThemeId>,
    pub uncoded: bool,
    /// Lower-case words that must all occur.
    pub search: Vec<String>,
    /// From 1.
    pub page: u32,
    pub per_page: u32,
}

#[derive(Debug, Clone, PartialEq)]
pub struct AnswerRow {
    pub response: Uuid,
    pub text: String,
    /// The respondent's single-choice answers, by question id.
    pub answers: BTreeMap<String, String>,
    /// None: not coded yet; an empty list: coded, no theme applies.
    pub themes: Option<Vec<Assignment>>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct AnswerPage {
    /// Answers matching the query, on every page.
    pub total: u64,
    pub rows: Vec<AnswerRow>,
}

fn singles(c: &Consultation) -> Vec<&Question> {
    c.questions()
        .filter(|q| matches!(q.kind, QuestionKind::SingleChoice { .. }))
        .collect()
}

/// The responses matching `query`, in response order (oldest first: ids
/// are time-ordered), with their row in the frame.
fn matching(
    store: &Store,
    consultation_id: Uuid,
    snapshot: &Snapshot,
    query: &AnswerQuery,
) -> Result<Vec<(Uuid, usize)>, AnalysisError> {
    let q = query.question.id.as_str();
    let mut keep = col(text_column(q).as_str());
    if let Some(f) = filter_expr(&query.filters) {
        keep = keep.and(f);
    }
    if let Some(t) = query.theme {
        let name = option_column(q, &t.to_string());
        // A theme newer than the snapshot carries no answers in it yet.
        if snapshot.frame.column(&name).is_err() {
            return Ok(Vec::new());
        }
        keep = keep.and(col(name.as_str()));
    }
    if query.uncoded {
        keep = keep.and(col(answered_column(q).as_str()).not());
    }
    let df = snapshot
        .frame
        .clone()
        .lazy()
        .with_row_index("__row", None)
        .filter(keep)
        .select([col("__row"), col(ID_HI), col(ID_LO)])
        .collect()?;
    let searched: Option<HashSet<String>> = if query.search.is_empty() {
        None
    } else {
        Some(
            store
                .search_answers(consultation_id, &query.question.id, &query.search)?
                .into_iter()
                .collect(),
        )
    };
    let (rows, hi, lo) = (
        df.column("__row")?.idx()?.clone(),
        df.column(ID_HI)?.u64()?.clone(),
        df.column(ID_LO)?.u64()?.clone(),
    );
    let mut out = Vec::with_capacity(df.height());
    for i in 0..df.height() {
        let (Some(r), Some(h), Some(l)) = (rows.get(i), hi.get(i), lo.get(i)) else {
            continue;
        };
        let id = Uuid::from_u128((u128::from(h) << 64) | u128::from(l));
        if searched
            .as_ref()
            .is_none_or(|s| s.contains(&id.to_string()))
        {
            out.push((id, r as usize));
        }
    }
    Ok(out)
}

/// One page of the answers matching `query`.
pub fn page(
    store: &Store,
    c: &Consultation,
    consultation_id: Uuid,
    snapshot: &Snapshot,
    query: &AnswerQuery,
) -> Result<AnswerPage, AnalysisError> {
    let all = matching(store, consultation_id, snapshot, query)?;
    let per = query.per_page.clamp(1, PER_PAGE_MAX) as usize;
    let start = (query.page.max(1) as usize - 1).saturating_mul(per);
    let picked: Vec<(Uuid, usize)> = all.iter().skip(start).take(per).copied().collect();
    let ids: Vec<String> = picked.iter().map(|(id, _)| id.to_string()).collect();
    let qid: &QuestionId = &query.question.id;
    let texts = store.answer_texts(consultation_id, qid, &ids)?;
    let mut coded = store.codings_of(consultation_id, qid, &ids)?;
    let singles = singles(c);
    let columns: Vec<_> = singles
        .iter()
        .map(|s| codes(&snapshot.frame, s.id.as_str()))
        .collect::<Result<_, _>>()?;
    let mut rows = Vec::with_capacity(picked.len());
    for ((id, row), key) in picked.into_iter().zip(&ids) {
        // Changed or withdrawn since the snapshot: no longer an answer.
        let Some(text) = texts.get(key) else { continue };
        let answers = singles
            .iter()
            .zip(&columns)
            .filter_map(|(s, codes)| Some((s.id.to_string(), codes.get(row)?.to_owned())))
            .collect();
        rows.push(AnswerRow {
            response: id,
            text: text.clone(),
            answers,
            themes: coded.remove(key),
        });
    }
    Ok(AnswerPage {
        total: all.len() as u64,
        rows,
    })
}

/// The first answer after `after` (in response order) not coded yet,
/// checked against storage rather than the snapshot, which may be a
/// coding or two behind.
pub fn next_uncoded(
    store: &Store,
    consultation_id: Uuid,
    snapshot: &Snapshot,
    question: &Question,
    after: Option<Uuid>,
) -> Result<Option<Uuid>, AnalysisError> {
    let query = AnswerQuery {
        question: question.clone(),
        filters: Filters::default(),
        theme: None,
        uncoded: true,
        search: Vec::new(),
        page: 1,
        per_page: PER_PAGE_MAX,
    };
    let candidates: Vec<Uuid> = matching(store, consultation_id, snapshot, &query)?
        .into_iter()
        .map(|(id, _)| id)
        .filter(|id| after.is_none_or(|a| *id > a))
        .collect();
    for chunk in candidates.chunks(200) {
        let ids: Vec<String> = chunk.iter().map(Uuid::to_string).collect();
        let coded = store.codings_of(consultation_id, &question.id, &ids)?;
        if let Some(id) = chunk
            .iter()
            .zip(&ids)
            .find(|(_, k)| !coded.contains_key(*k))
        {
            return Ok(Some(*id.0));
        }
    }
    Ok(None)
}

/// How many answers the question has, and how many are coded.
pub fn progress(snapshot: &Snapshot, question: &str) -> Result<(u64, u64), AnalysisError> {
    let df = snapshot
        .frame
        .clone()
        .lazy()
        .select([
            col(text_column(question).as_str()).sum().alias("answered"),
            col(text_column(question).as_str())
                .and(col(answered_column(question).as_str()))
                .sum()
                .alias("coded"),
        ])
        .collect()?;
    let get = |name: &str| -> Result<u64, AnalysisError> {
        let c = df.column(name)?.cast(&polars::prelude::DataType::UInt64)?;
        Ok(c.u64()?.get(0).unwrap_or(0))
    };
    Ok((get("answered")?, get("coded")?))
}
