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
