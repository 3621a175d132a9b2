DROP TABLE key_reveals;
