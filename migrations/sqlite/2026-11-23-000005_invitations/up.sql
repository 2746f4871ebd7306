-- Invite-only consultations: one single-use link per member. Redeeming it
-- starts the member's draft (and so at most one response); the email is
-- kept for the administrator's records, the link only as a hash.
CREATE TABLE invitations (
    id TEXT PRIMARY KEY NOT NULL,
    consultation_id TEXT NOT NULL REFERENCES consultations (id),
    email TEXT NOT NULL,
    token_hash TEXT NOT NULL UNIQUE,
    created_at TIMESTAMP NOT NULL,
    used_at TIMESTAMP,
    draft_id TEXT REFERENCES drafts (id) ON DELETE SET NULL,
    UNIQUE (consultation_id, email)
);
