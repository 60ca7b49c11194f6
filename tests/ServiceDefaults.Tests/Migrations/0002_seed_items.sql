-- No ON CONFLICT on purpose: a second run of this file would fail or duplicate.
INSERT INTO items (id, name) VALUES (1, 'first');
