#!/bin/sh
# Run once by the PostgreSQL image on an empty volume: the ordinary role Balise uses, its database,
# and the pgvector extension (the one step that needs a superuser).
set -eu
psql -v ON_ERROR_STOP=1 --username postgres <<SQL
CREATE ROLE balise LOGIN PASSWORD '${BALISE_DB_PASSWORD}';
CREATE DATABASE balise OWNER balise;
\c balise
CREATE EXTENSION vector;
SQL
