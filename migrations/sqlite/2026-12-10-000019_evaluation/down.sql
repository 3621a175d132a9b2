DROP TABLE review360_answers;
DROP TABLE review360_raters;
DROP TABLE review360_rounds;
DROP TABLE evaluation_appeals;
DROP TABLE evaluation_ratings;
DROP TABLE evaluation_schemes;
DROP TABLE hall_satisfaction;
DROP TABLE satisfaction_replies;
