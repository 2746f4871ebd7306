-- The current version of every response in one row: what analyses and
-- exports read, so that a million responses come back as a million rows,
-- not as every answer row. Every write keeps it in step with `responses`;
-- rows of responses stored before this table existed are filled in by
-- `consult migrate`.
CREATE TABLE current_responses (
    consultation_id TEXT NOT NULL REFERENCES consultations (id),
    response_id TEXT NOT NULL REFERENCES responses (id) ON DELETE CASCADE,
    submitted_at TIMESTAMP NOT NULL,
    definition_version INTEGER NOT NULL,
    -- Closed answers as `question=code;question=code,code`.
    closed TEXT NOT NULL,
    PRIMARY KEY (consultation_id, response_id)
);

CREATE UNIQUE INDEX current_responses_by_response ON current_responses (response_id);

-- The same responses' answers, all of them, as the API's JSON object: what
-- exports read. Kept apart so that analyses scan only the short rows above.
CREATE TABLE current_documents (
    response_id TEXT PRIMARY KEY NOT NULL REFERENCES responses (id) ON DELETE CASCADE,
    consultation_id TEXT NOT NULL REFERENCES consultations (id),
    submitted_at TIMESTAMP NOT NULL,
    answers TEXT NOT NULL
);

CREATE INDEX current_documents_by_consultation ON current_documents (consultation_id);
