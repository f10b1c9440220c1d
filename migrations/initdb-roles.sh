#!/bin/sh
# docker-entrypoint-initdb.d: runs once, on the database's first start, as the superuser.
# Creates the owner role (migrations) and the app role (gunicorn, workers); see roles.sql.
set -eu
psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname "$POSTGRES_DB" \
    -v dbname="$POSTGRES_DB" \
    -v owner_role=directory_owner -v owner_password="$DIRECTORY_OWNER_PASSWORD" \
    -v app_role=directory_app -v app_password="$DIRECTORY_APP_PASSWORD" \
    -f /etc/bh-directory/roles.sql
