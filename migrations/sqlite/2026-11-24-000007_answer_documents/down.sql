DROP INDEX current_documents_by_consultation;
CREATE INDEX current_documents_by_consultation ON current_documents (consultation_id);
DROP VIEW current_answers;

CREATE TABLE answers (
    response_version_id TEXT NOT NULL REFERENCES response_versions (id) ON DELETE CASCADE,
    question_id TEXT NOT NULL,
    position INTEGER NOT NULL,
    option_code TEXT,
    text_value TEXT,
    PRIMARY KEY (response_version_id, question_id, position)
);

CREATE INDEX answers_by_question ON answers (question_id, option_code);

-- Without the definition a string cannot be told to be a code or a text:
-- both columns get it, as the old reader took whichever its question needed.
INSERT INTO answers
SELECT v.id, q.key, 0, q.value, q.value
FROM response_versions v JOIN json_each(v.answers) q
WHERE q.type <> 'array'
UNION ALL
SELECT v.id, q.key, o.key, o.value, NULL
FROM response_versions v JOIN json_each(v.answers) q JOIN json_each(q.value) o
WHERE q.type = 'array';

ALTER TABLE response_versions DROP COLUMN answers;

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
