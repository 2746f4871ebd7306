//! The answers staff marked as quotes for a theme, as they may be shown
//! beyond the staff: scrubbed by the anonymised export's rules and
//! attributed only by the respondent's stakeholder group, never by
//! region, role or organisation.
use super::scrub::{Scrubbed, scrub};
use crate::domain::coding::{ThemeId, is_answer};
use crate::domain::{Consultation, Privacy};
use crate::storage::{StorageError, Store};
use serde_json::{Map, Value};
use std::collections::BTreeMap;
use uuid::Uuid;

/// The question a quote is attributed by.
pub const ATTRIBUTED_BY: &str = "stakeholder_group";

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Quote {
    /// The answer, scrubbed.
    pub text: String,
    /// Who said it, in words: "Clinical commissioning group leader".
    pub attribution: String,
}

/// Per question and theme, its quotes in the order they were marked.
pub type Quotes = BTreeMap<(String, ThemeId), Vec<Quote>>;

/// An option label as it reads inside a sentence: without parenthesised
/// abbreviations ("Clinical commissioning group (CCG)").
fn natural(label: &str) -> String {
    let mut out = String::with_capacity(label.len());
    let mut depth = 0usize;
    for ch in label.chars() {
        match ch {
            '(' => depth += 1,
            ')' => depth = depth.saturating_sub(1),
            _ if depth == 0 => out.push(ch),
            _ => {}
        }
    }
    out.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// "Acute trust leader" for the respondent's group; "Member" when the
/// group is "other" or not given, which says nothing more specific.
pub fn attribution(c: &Consultation, group: Option<&str>) -> String {
    let option = c
        .question(ATTRIBUTED_BY)
        .zip(group)
        .and_then(|(q, code)| q.option(code))
        .filter(|o| o.code.as_str() != "other");
    match option.map(|o| natural(&o.label)) {
        Some(label) if !label.is_empty() => format!("{label} leader"),
        _ => "Member".to_owned(),
    }
}

/// The answer to `question` in a stored document, scrubbed with the
/// respondent's own identifying answers, and attributed; None when the
/// document has no answer to it.
pub fn quote(
    c: &Consultation,
    document: &str,
    question: &str,
) -> Result<Option<Quote>, serde_json::Error> {
    let doc: Map<String, Value> = serde_json::from_str(document)?;
    let Some(Value::String(text)) = doc.get(question) else {
        return Ok(None);
    };
    if !is_answer(text) {
        return Ok(None);
    }
    let own: Vec<&str> = c
        .questions()
        .filter(|q| q.privacy == Privacy::Identifier)
        .filter_map(|q| doc.get(q.id.as_str()).and_then(Value::as_str))
        .collect();
    let mut found = Scrubbed::default();
    let text = scrub(text, &own, &mut found).into_owned();
    let group = doc.get(ATTRIBUTED_BY).and_then(Value::as_str);
    Ok(Some(Quote {
        text,
        attribution: attribution(c, group),
    }))
}

/// Every quote of the consultation, by question and theme.
pub fn quotes(
    store: &Store,
    c: &Consultation,
    consultation_id: Uuid,
) -> Result<Quotes, StorageError> {
    let marked = store.quotes(consultation_id)?;
    let mut ids: Vec<String> = marked.iter().map(|(r, _, _)| r.clone()).collect();
    ids.sort();
    ids.dedup();
    let mut documents = std::collections::HashMap::new();
    // Bounded lists: a database limits the parameters of one query.
    for chunk in ids.chunks(500) {
        documents.extend(store.documents_of(consultation_id, chunk)?);
    }
    let mut out = Quotes::new();
    for (response, question, theme) in marked {
        let Some(theme) = ThemeId::new(i64::from(theme)) else {
            return Err(StorageError::Corrupt(format!("quoted theme {theme}")));
        };
        let Some(doc) = documents.get(&response) else {
            // Withdrawn meanwhile: its quotes go with it.
            continue;
        };
        if let Some(q) = quote(c, doc, &question)? {
            out.entry((question, theme)).or_default().push(q);
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_support::demo;

    #[test]
    fn a_quote_is_scrubbed_and_attributed_by_group_alone() {
        let c = demo();
        let doc = serde_json::json!({
            "stakeholder_group": "ccg", "region": "london", "role": "chair",
            "organisation": "Eastmoor CCG", "email": "jo@eastmoor.example.org",
            "q3": "Eastmoor CCG cannot fund this. Ask jo.bloggs@example.org or call 020 7946 0958."
        })
        .to_string();
        let q = quote(&c, &doc, "q3").unwrap_or_else(|e| panic!("{e}"));
        let q = q.unwrap_or_else(|| panic!("a quote"));
        assert_eq!(
            q.text,
            "[organisation removed] cannot fund this. Ask [email removed] or call [phone number removed]."
        );
        assert_eq!(q.attribution, "Clinical commissioning group leader");
        for said in ["London", "Chair", "Eastmoor"] {
            assert!(
                !q.attribution.contains(said) && !q.text.contains(said),
                "{said}"
            );
        }
        assert_eq!(
            quote(&c, &doc, "q12").ok(),
            Some(None),
            "no answer, no quote"
        );
        assert!(quote(&c, "not json", "q3").is_err());
    }

    #[test]
    fn attributions_read_naturally() {
        let c = demo();
        let said = |code: Option<&str>| attribution(&c, code);
        assert_eq!(said(Some("acute_trust")), "Acute trust leader");
        assert_eq!(
            said(Some("ics_stp")),
            "Integrated care system or sustainability and transformation partnership leader"
        );
        assert_eq!(said(Some("pcn")), "Primary care network leader");
        assert_eq!(said(Some("other")), "Member");
        assert_eq!(said(None), "Member");
        assert_eq!(said(Some("no_such_group")), "Member");
    }
}
