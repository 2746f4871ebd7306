//! `codebook load`: a codebook file's themes into a consultation, and
//! optionally its rules applied to answers not coded yet.
use crate::catalogue::Catalogue;
use crate::domain::QuestionId;
use crate::domain::coding::{AssignedBy, Assignment, ThemeDescription, ThemeLabel, is_answer};
use crate::storage::Store;
use crate::synth::DemoCodebook;
use anyhow::{Context, anyhow};
use std::collections::HashMap;
use std::path::Path;

/// Where rule codings come from, as their history says.
const REASON: &str = "codebook_rules";

pub fn load(
    database: &str,
    file: &Path,
    code: Option<f64>,
    only: Option<&str>,
    consultations: &Path,
) -> anyhow::Result<()> {
    if let Some(f) = code.filter(|f| !(0.0..=1.0).contains(f)) {
        return Err(anyhow!("--code takes a share from 0 to 1, not {f}"));
    }
    let text =
        std::fs::read_to_string(file).with_context(|| format!("cannot read {}", file.display()))?;
    let slug = serde_json::from_str::<serde_json::Value>(&text)
        .ok()
        .and_then(|v| v["consultation"].as_str().map(str::to_owned))
        .ok_or_else(|| anyhow!("{}: no \"consultation\" field", file.display()))?;
    let store = Store::open(database)?;
    let catalogue = Catalogue::load(consultations, &store)?;
    let loaded = catalogue
        .get(&slug)
        .ok_or_else(|| anyhow!("no consultation '{slug}' in {}", consultations.display()))?;
    let book = DemoCodebook::from_json(&text, &loaded.definition).map_err(|errors| {
        anyhow!(
            "{} is not a valid codebook:\n  - {}",
            file.display(),
            errors.join("\n  - ")
        )
    })?;
    if let Some(q) = only.filter(|q| !book.questions.contains_key(*q)) {
        return Err(anyhow!("the codebook has no themes for '{q}'"));
    }
    let wanted = |q: &str| only.is_none_or(|o| o == q);
    let id = loaded.stored.id;
    // Every answer's text per question, read once, for the rules.
    let mut texts: HashMap<String, Vec<(uuid::Uuid, String)>> = HashMap::new();
    if code.is_some() {
        store.each_current_page(id, |page| {
            for r in page {
                let Ok(rid) = uuid::Uuid::parse_str(&r.response_id) else {
                    continue;
                };
                let Ok(doc) = serde_json::from_str::<serde_json::Value>(&r.answers) else {
                    continue;
                };
                for q in book.questions.keys().filter(|q| wanted(q)) {
                    if let Some(t) = doc[q.as_str()].as_str().filter(|t| is_answer(t)) {
                        texts
                            .entry(q.clone())
                            .or_default()
                            .push((rid, t.to_owned()));
                    }
                }
            }
        })?;
    }
    for (question, themes) in book.questions.iter().filter(|(q, _)| wanted(q)) {
        let qid = QuestionId::parse(question).map_err(|e| anyhow!(e))?;
        let existing = store.codebook(id)?;
        // Index in the file → theme id in the database, made when missing.
        let mut ids = Vec::new();
        let mut added = 0;
        for t in themes {
            let label = ThemeLabel::parse(&t.label).map_err(|e| anyhow!(e.message))?;
            let found = existing
                .of(question)
                .iter()
                .find(|x| x.label.key() == label.key());
            let theme = match found {
                Some(x) => x.clone(),
                None => {
                    added += 1;
                    let d =
                        ThemeDescription::parse(&t.description).map_err(|e| anyhow!(e.message))?;
                    store.create_theme(id, &qid, label, d, None)?
                }
            };
            ids.push(theme.id);
        }
        let mut coded = 0;
        if let Some(share) = code {
            let answers = texts.remove(question).unwrap_or_default();
            // The oldest answers, leaving the newest for staff to read.
            let take = (answers.len() as f64 * share).round() as usize;
            let codings: Vec<(uuid::Uuid, Vec<Assignment>)> = answers
                .iter()
                .take(take)
                .map(|(rid, text)| {
                    let assigned = book
                        .themes_of(question, text)
                        .into_iter()
                        .filter_map(|k| ids.get(k))
                        .map(|&theme| Assignment {
                            id: theme,
                            assigned_by: AssignedBy::Machine,
                            confidence: Some(1.0),
                        })
                        .collect();
                    (*rid, assigned)
                })
                .collect();
            coded = store.code_many(id, &qid, &codings, REASON)?;
        }
        println!("{question}: {added} theme(s) added, {coded} answer(s) coded by its rules");
    }
    Ok(())
}
