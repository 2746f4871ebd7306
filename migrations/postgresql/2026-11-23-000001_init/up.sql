-- Kept in step with migrations/sqlite: the same tables, columns and indexes.
-- Consultations: one row per slug; each loaded definition that differs from
-- the last is kept as a new version, and every response names the version
-- it answered.
CREATE TABLE consultations (
    id TEXT PRIMARY KEY NOT NULL,
    slug TEXT NOT NULL UNIQUE,
    title TEXT NOT NULL,
    current_version INTEGER NOT NULL,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);

CREATE TABLE consultation_versions (
    consultation_id TEXT NOT NULL REFERENCES consultations (id),
    version INTEGER NOT NULL,
    definition TEXT NOT NULL,
    content_hash TEXT NOT NULL,
    loaded_at TIMESTAMP NOT NULL,
    PRIMARY KEY (consultation_id, version)
);

-- A response is one member's answer to a consultation. Changes made through
-- the private link add versions; analyses read the current one.
CREATE TABLE responses (
    id TEXT PRIMARY KEY NOT NULL,
    consultation_id TEXT NOT NULL REFERENCES consultations (id),
    submission_id TEXT,
    submission_hash TEXT NOT NULL,
    receipt TEXT NOT NULL UNIQUE,
    current_version INTEGER NOT NULL,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    UNIQUE (consultation_id, submission_id)
);

CREATE TABLE response_versions (
    id TEXT PRIMARY KEY NOT NULL,
    response_id TEXT NOT NULL REFERENCES responses (id) ON DELETE CASCADE,
    version INTEGER NOT NULL,
    definition_version INTEGER NOT NULL,
    channel TEXT NOT NULL,
    answers_hash TEXT NOT NULL,
    submitted_at TIMESTAMP NOT NULL,
    UNIQUE (response_id, version)
);

-- One row per answer: a choice (option_code), one row per chosen option of
-- a multiple-choice question (position 0, 1, ...), or free text (text_value).
CREATE TABLE answers (
    response_version_id TEXT NOT NULL REFERENCES response_versions (id) ON DELETE CASCADE,
    question_id TEXT NOT NULL,
    position INTEGER NOT NULL,
    option_code TEXT,
    text_value TEXT,
    PRIMARY KEY (response_version_id, question_id, position)
);

CREATE INDEX answers_by_question ON answers (question_id, option_code);

-- Web drafts, reached by a private link whose token is stored only as a hash.
-- After submission the draft stays linked to its response so that the same
-- link can change it while the consultation is open.
CREATE TABLE drafts (
    id TEXT PRIMARY KEY NOT NULL,
    consultation_id TEXT NOT NULL REFERENCES consultations (id),
    token_hash TEXT NOT NULL UNIQUE,
    answers TEXT NOT NULL,
    response_id TEXT REFERENCES responses (id) ON DELETE CASCADE,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);

-- The latest version of every response, one row per answer: what analyses count.
CREATE VIEW current_answers AS
SELECT
    r.consultation_id,
    r.id AS response_id,
    v.submitted_at,
    v.definition_version,
    a.question_id,
    a.position,
    a.option_code,
    a.text_value
FROM responses r
JOIN response_versions v ON v.response_id = r.id AND v.version = r.current_version
JOIN answers a ON a.response_version_id = v.id;
