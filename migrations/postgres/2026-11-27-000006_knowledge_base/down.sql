DROP TABLE ledger_closes;
DROP TABLE reading_exemptions;
DROP TABLE readings;
DROP TABLE assignments;
DROP TABLE article_files;
DROP TABLE article_versions;
DROP TABLE articles;
