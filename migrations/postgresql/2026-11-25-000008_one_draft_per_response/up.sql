-- A response has at most one private-link draft, and a withdrawal finds it
-- by this index rather than by reading every draft.
CREATE UNIQUE INDEX drafts_by_response ON drafts (response_id);
