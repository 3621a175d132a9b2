DROP TABLE review_cases;
