-- An administrator's opening and closing times, which replace the
-- definition's once set (schedule_set).
ALTER TABLE consultations ADD COLUMN schedule_set BOOLEAN NOT NULL DEFAULT FALSE;
ALTER TABLE consultations ADD COLUMN opens_at TIMESTAMP;
ALTER TABLE consultations ADD COLUMN closes_at TIMESTAMP;
