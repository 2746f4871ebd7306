-- Staff's codebooks for free-text questions, their coding of answers with
-- its history, and the answers they mark as quotes.

-- A theme's number is its id within its question: never reused, so that
-- codings in the history and exported columns keep their meaning after a
-- theme is deleted or merged (it is then marked, not removed).
CREATE TABLE themes (
    consultation_id TEXT NOT NULL REFERENCES consultations (id),
    question_id TEXT NOT NULL,
    number INTEGER NOT NULL,
    label TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    created_at TIMESTAMP NOT NULL,
    deleted_at TIMESTAMP,
    merged_into INTEGER,
    PRIMARY KEY (consultation_id, question_id, number)
);
CREATE UNIQUE INDEX themes_live_label ON themes (consultation_id, question_id, lower(label))
    WHERE deleted_at IS NULL;

-- Each act of coding one answer: the answer's themes from then on. The
-- current one per answer is marked; earlier ones are the history. An
-- answer without a current coding is not coded yet.
CREATE TABLE codings (
    id TEXT PRIMARY KEY NOT NULL,
    consultation_id TEXT NOT NULL REFERENCES consultations (id),
    response_id TEXT NOT NULL REFERENCES responses (id),
    question_id TEXT NOT NULL,
    coded_by TEXT REFERENCES users (id),
    coded_at TIMESTAMP NOT NULL,
    -- Why this coding was made: coded, theme_deleted, themes_merged.
    reason TEXT NOT NULL,
    current BOOLEAN NOT NULL,
    -- When and why it stopped being current: recoded, answer_changed, ...
    ended_at TIMESTAMP,
    ended_because TEXT
);
CREATE UNIQUE INDEX codings_current ON codings (response_id, question_id) WHERE current;
CREATE INDEX codings_by_question ON codings (consultation_id, question_id, response_id) WHERE current;
CREATE INDEX codings_by_response ON codings (response_id);

-- Who or what assigned each theme of a coding, and how sure a machine was.
CREATE TABLE coding_themes (
    coding_id TEXT NOT NULL REFERENCES codings (id),
    theme INTEGER NOT NULL,
    assigned_by TEXT NOT NULL,
    confidence DOUBLE PRECISION,
    PRIMARY KEY (coding_id, theme)
);

CREATE TABLE quotes (
    consultation_id TEXT NOT NULL REFERENCES consultations (id),
    response_id TEXT NOT NULL REFERENCES responses (id),
    question_id TEXT NOT NULL,
    theme INTEGER NOT NULL,
    marked_by TEXT REFERENCES users (id),
    marked_at TIMESTAMP NOT NULL,
    PRIMARY KEY (response_id, question_id, theme)
);
CREATE INDEX quotes_by_question ON quotes (consultation_id, question_id, theme);
