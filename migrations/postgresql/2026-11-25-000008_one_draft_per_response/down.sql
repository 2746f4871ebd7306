DROP INDEX drafts_by_response;
