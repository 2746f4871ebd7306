//! What unit tests share: the demo consultation and its synthetic profile,
//! read once here rather than in every test module.
use crate::domain::Consultation;
use crate::synth::Profile;

/// The demo definition's text.
pub const DEMO: &str = include_str!("../fixtures/consultations/next-steps-for-system-working.json");

/// The demo consultation.
pub fn demo() -> Consultation {
    Consultation::from_json(DEMO).unwrap_or_else(|e| panic!("the demo definition: {e:?}"))
}

/// The demo consultation with the profile its synthetic responses follow.
pub fn demo_with_profile() -> (Consultation, Profile) {
    let c = demo();
    let p = Profile::from_json(
        include_str!("../fixtures/profiles/next-steps-for-system-working.json"),
        &c,
    )
    .unwrap_or_else(|e| panic!("the demo profile: {e:?}"));
    (c, p)
}

/// The demo codebook's text.
pub const DEMO_CODEBOOK: &str =
    include_str!("../fixtures/codebooks/next-steps-for-system-working.json");

/// The synthetic responses shipped for the demo (seed 2020).
pub const DEMO_RESPONSES: &str =
    include_str!("../fixtures/responses/next-steps-for-system-working.json");

/// The demo consultation, its profile and the codebook for its free text.
pub fn demo_with_codebook() -> (Consultation, Profile, crate::synth::DemoCodebook) {
    let (c, p) = demo_with_profile();
    let book = crate::synth::DemoCodebook::from_json(DEMO_CODEBOOK, &c)
        .unwrap_or_else(|e| panic!("the demo codebook: {e:?}"));
    (c, p, book)
}

/// A theme as tests write it: (id, label, description).
pub type ThemeRow<'a> = (i64, &'a str, &'a str);

/// A codebook from `(question, [(theme id, label, description)])`.
pub fn codebook(entries: &[(&str, &[ThemeRow<'_>])]) -> crate::domain::coding::Codebook {
    use crate::domain::coding::{Codebook, Theme, ThemeDescription, ThemeId, ThemeLabel};
    let mut book = Codebook::default();
    for (question, themes) in entries {
        let q = crate::domain::QuestionId::parse(question).unwrap_or_else(|e| panic!("{e}"));
        let themes = themes
            .iter()
            .map(|(id, label, about)| Theme {
                id: ThemeId::new(*id).unwrap_or_else(|| panic!("theme id {id}")),
                label: ThemeLabel::parse(label).unwrap_or_else(|e| panic!("{e:?}")),
                description: ThemeDescription::parse(about).unwrap_or_else(|e| panic!("{e:?}")),
            })
            .collect();
        book.themes.insert(q, themes);
    }
    book
}

/// A fresh SQLite store holding the demo consultation, and a staff coder.
pub struct DemoStore {
    // Kept for the database file's lifetime.
    _dir: tempfile::TempDir,
    pub store: crate::storage::Store,
    pub loaded: std::sync::Arc<crate::catalogue::Loaded>,
    pub coder: String,
}

impl DemoStore {
    pub fn open() -> DemoStore {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let db = dir.path().join("c.sqlite3");
        let store =
            crate::storage::Store::open(&db.to_string_lossy()).unwrap_or_else(|e| panic!("{e}"));
        let fixtures =
            std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/consultations");
        let catalogue =
            crate::catalogue::Catalogue::load(&fixtures, &store).unwrap_or_else(|e| panic!("{e}"));
        let loaded = catalogue
            .all()
            .next()
            .cloned()
            .unwrap_or_else(|| panic!("a consultation"));
        let role = crate::domain::accounts::Role::Staff;
        let coder = store
            .create_user("coder@example.org", role, "-", "-")
            .unwrap_or_else(|e| panic!("{e}"))
            .id;
        DemoStore {
            _dir: dir,
            store,
            loaded,
            coder,
        }
    }

    /// Stores a response with these answers; returns its id.
    pub fn submit(&self, answers: serde_json::Value) -> uuid::Uuid {
        let a = crate::domain::answers::validate_response(
            &self.loaded.definition,
            answers.as_object().unwrap_or(&Default::default()),
        )
        .unwrap_or_else(|e| panic!("{e:?}"));
        self.store
            .submit(&crate::storage::NewSubmission {
                consultation: self.loaded.stored,
                submission_id: None,
                answers: &a,
                channel: crate::storage::Channel::Api,
                submitted_at: None,
            })
            .unwrap_or_else(|e| panic!("{e}"))
            .id
    }

    /// Adds a theme to `question`; returns its id.
    pub fn theme(&self, question: &str, label: &str) -> crate::domain::coding::ThemeId {
        use crate::domain::coding::{ThemeDescription, ThemeLabel};
        let q = crate::domain::QuestionId::parse(question).unwrap_or_else(|e| panic!("{e}"));
        let label = ThemeLabel::parse(label).unwrap_or_else(|e| panic!("{e:?}"));
        let about = ThemeDescription::parse(&format!("{} in any words", label.as_str()))
            .unwrap_or_else(|e| panic!("{e:?}"));
        self.store
            .create_theme(self.loaded.stored.id, &q, label, about, Some(&self.coder))
            .unwrap_or_else(|e| panic!("{e}"))
            .id
    }

    /// Codes `response`'s answer to `question` with `themes`.
    pub fn code(
        &self,
        response: uuid::Uuid,
        question: &str,
        themes: &[crate::domain::coding::ThemeId],
    ) {
        let q = crate::domain::QuestionId::parse(question).unwrap_or_else(|e| panic!("{e}"));
        self.store
            .code_answer(self.loaded.stored.id, response, &q, themes, &self.coder)
            .unwrap_or_else(|e| panic!("{e}"));
    }
}
