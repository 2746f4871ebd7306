//! The roles and what each may reach, shared by the access tests.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Who {
    Nobody,
    Researcher,
    Staff,
    Admin,
    Revoked,
}

pub const WHO: [Who; 5] = [
    Who::Nobody,
    Who::Researcher,
    Who::Staff,
    Who::Admin,
    Who::Revoked,
];

#[derive(Clone, Copy)]
pub enum Need {
    Public,
    /// Sent on elsewhere, whoever asks.
    Redirect,
    Staff,
    Research,
    Admin,
}

pub fn expected(need: Need, who: Who, page: bool) -> u16 {
    let signed_out = if page { 303 } else { 401 };
    match (need, who) {
        (Need::Public, _) => 200,
        (Need::Redirect, _) => 303,
        (_, Who::Nobody | Who::Revoked) => signed_out,
        (Need::Staff, Who::Staff | Who::Admin) => 200,
        (Need::Research, Who::Researcher | Who::Staff | Who::Admin) => 200,
        (Need::Admin, Who::Admin) => 200,
        _ => 403,
    }
}

/// The route pattern of `TABLE` that `path` falls under.
pub fn pattern_of(path: &str) -> Option<&'static str> {
    let segments: Vec<&str> = path.split('/').collect();
    consult::web::routes::TABLE
        .iter()
        .map(|(p, _)| *p)
        .find(|p| {
            let parts: Vec<&str> = p.split('/').collect();
            parts.len() == segments.len()
                && parts
                    .iter()
                    .zip(&segments)
                    .all(|(p, s)| p == s || (p.starts_with('{') && p.ends_with('}')))
        })
}
