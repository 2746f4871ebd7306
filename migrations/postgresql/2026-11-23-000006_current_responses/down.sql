DROP TABLE current_responses;
