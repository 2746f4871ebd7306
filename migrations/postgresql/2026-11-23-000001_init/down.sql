DROP VIEW current_answers;
DROP TABLE drafts;
DROP TABLE answers;
DROP TABLE response_versions;
DROP TABLE responses;
DROP TABLE consultation_versions;
DROP TABLE consultations;
