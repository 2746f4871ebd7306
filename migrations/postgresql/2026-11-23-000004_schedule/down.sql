ALTER TABLE consultations DROP COLUMN closes_at;
ALTER TABLE consultations DROP COLUMN opens_at;
ALTER TABLE consultations DROP COLUMN schedule_set;
