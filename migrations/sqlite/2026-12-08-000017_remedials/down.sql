DROP TABLE remedial_assignments;
DROP TABLE remedials;
