-- Each version's answers as one JSON document (the API's object) instead of
-- one row per answer, so that storing a response writes a handful of rows
-- rather than thirty. Analyses and exports read `current_responses` and
-- `current_documents`; this is the history behind them.
ALTER TABLE response_versions ADD COLUMN answers TEXT NOT NULL DEFAULT '{}';

-- The answer rows as documents. A choice and a text are both strings; a
-- multiple choice with one option chosen also comes out as one string,
-- which reading against the definition accepts.
UPDATE response_versions SET answers = d.document
FROM (
    SELECT response_version_id, json_object_agg(question_id, value)::text AS document
    FROM (
        SELECT
            response_version_id,
            question_id,
            CASE
                WHEN MAX(position) > 0 THEN json_agg(option_code ORDER BY position)
                WHEN MAX(option_code) IS NOT NULL THEN to_json(MAX(option_code))
                ELSE to_json(MAX(text_value))
            END AS value
        FROM answers
        GROUP BY response_version_id, question_id
    ) AS a
    GROUP BY response_version_id
) AS d
WHERE d.response_version_id = response_versions.id;

DROP VIEW current_answers;
DROP INDEX answers_by_question;
DROP TABLE answers;

-- The latest version of every response, one row per answer (a row per
-- chosen option of a multiple choice): for SQL by hand.
CREATE VIEW current_answers AS
SELECT
    d.consultation_id,
    d.response_id,
    d.submitted_at,
    c.definition_version,
    q.key AS question_id,
    0 AS position,
    q.value #>> '{}' AS value
FROM current_documents d
JOIN current_responses c ON c.response_id = d.response_id
CROSS JOIN LATERAL jsonb_each(d.answers::jsonb) q
WHERE jsonb_typeof(q.value) <> 'array'
UNION ALL
SELECT
    d.consultation_id,
    d.response_id,
    d.submitted_at,
    c.definition_version,
    q.key,
    (o.n - 1)::int,
    o.value
FROM current_documents d
JOIN current_responses c ON c.response_id = d.response_id
CROSS JOIN LATERAL jsonb_each(d.answers::jsonb) q
CROSS JOIN LATERAL jsonb_array_elements_text(q.value) WITH ORDINALITY AS o (value, n)
WHERE jsonb_typeof(q.value) = 'array';

-- Exports read a consultation's documents a page at a time, in response
-- order: the index gives both.
DROP INDEX current_documents_by_consultation;
CREATE INDEX current_documents_by_consultation ON current_documents (consultation_id, response_id);
