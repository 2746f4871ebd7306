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
    -- Every answer, as the API's JSON object.
    answers TEXT NOT NULL,
    PRIMARY KEY (consultation_id, response_id)
);

CREATE UNIQUE INDEX current_responses_by_response ON current_responses (response_id);
