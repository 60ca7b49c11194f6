-- Sleeps so that two runners started together overlap while this file runs.
SELECT pg_sleep(0.3);

CREATE TABLE items (
    id   integer PRIMARY KEY,
    name text    NOT NULL
);
