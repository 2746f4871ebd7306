ALTER TABLE consultations DROP COLUMN data_version;
