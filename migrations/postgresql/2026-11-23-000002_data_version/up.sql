-- Bumped by every transaction that changes a consultation's responses, so
-- that each instance can tell whether what it holds in memory is current.
ALTER TABLE consultations ADD COLUMN data_version BIGINT NOT NULL DEFAULT 0;
