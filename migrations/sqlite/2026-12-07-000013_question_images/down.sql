DROP TABLE question_images;
