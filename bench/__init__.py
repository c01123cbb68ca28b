"""`make bench`: serve Werkpas on loopback with the production server and
measure requests per second of a bare route, a 50-row page rendered from
memory, and the same page read from the database (see bench/run.py)."""
