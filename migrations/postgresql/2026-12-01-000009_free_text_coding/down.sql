DROP TABLE quotes;
DROP TABLE coding_themes;
DROP TABLE codings;
DROP TABLE themes;
