//! Staff's coding of free-text answers as a release reads it: each
//! question's live themes and the themes each coded answer carries.
use crate::domain::coding::Codebook;
use crate::storage::{StorageError, Store};
use std::collections::HashMap;
use uuid::Uuid;

/// The codebook and current codings of one consultation.
#[derive(Debug, Clone, Default)]
pub struct Coding {
    pub book: Codebook,
    /// Per response id, per question id: the theme numbers its answer
    /// carries; empty when coded "no theme applies".
    answers: HashMap<String, HashMap<String, Vec<i32>>>,
}

impl Coding {
    /// From a codebook and current codings as `Store::current_codings`
    /// gives them: (response, question, theme or None).
    pub fn new(book: Codebook, codings: Vec<(String, String, Option<i32>)>) -> Coding {
        let mut answers: HashMap<String, HashMap<String, Vec<i32>>> = HashMap::new();
        for (response, question, theme) in codings {
            let carried = answers
                .entry(response)
                .or_default()
                .entry(question)
                .or_default();
            if let Some(t) = theme {
                carried.push(t);
            }
        }
        Coding { book, answers }
    }

    /// The consultation's codebook and current codings.
    pub fn read(store: &Store, consultation_id: Uuid) -> Result<Coding, StorageError> {
        let book = store.codebook(consultation_id)?;
        Ok(Coding::new(book, store.current_codings(consultation_id)?))
    }

    /// The themes `response`'s answer to `question` carries; None when
    /// it is not coded.
    pub fn of(&self, response: &str, question: &str) -> Option<&[i32]> {
        self.answers.get(response)?.get(question).map(Vec::as_slice)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn coded_answers_keep_their_themes_and_none_applies_is_coded() {
        let rows = vec![
            ("r1".to_owned(), "q3".to_owned(), Some(1)),
            ("r1".into(), "q3".into(), Some(2)),
            ("r1".into(), "q12".into(), None),
            ("r2".into(), "q3".into(), Some(2)),
        ];
        let coding = Coding::new(Codebook::default(), rows);
        assert_eq!(coding.of("r1", "q3"), Some(&[1, 2][..]));
        assert_eq!(coding.of("r1", "q12"), Some(&[][..]));
        assert_eq!(coding.of("r2", "q3"), Some(&[2][..]));
        assert_eq!(coding.of("r2", "q12"), None);
        assert_eq!(coding.of("r3", "q3"), None);
    }
}
