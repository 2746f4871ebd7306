DROP TABLE current_documents;
DROP TABLE current_responses;
