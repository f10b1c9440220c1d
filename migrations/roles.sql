-- PostgreSQL roles for bh-directory. Run once per database, as a superuser:
--   psql -v ON_ERROR_STOP=1 -d directory -v dbname=directory \
--        -v owner_role=directory_owner -v owner_password="$DIRECTORY_OWNER_PASSWORD" \
--        -v app_role=directory_app -v app_password="$DIRECTORY_APP_PASSWORD" -f migrations/roles.sql
-- (docker-compose.yml does it through migrations/initdb-roles.sh on the database's first start.)
--
-- The owner runs `flask db upgrade` and so owns every table (an owner can lift triggers: keep its
-- password away from the application). The application connects as the app role; after every
-- upgrade the owner runs `flask audit grants --app-role <app_role> --apply`, which gives it
-- SELECT, INSERT, UPDATE, DELETE on every table except audit_event (SELECT, INSERT only) and
-- USAGE on the sequences. Neither role is a superuser, and the app role can create nothing.
CREATE ROLE :"owner_role" LOGIN PASSWORD :'owner_password'
    NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS;
CREATE ROLE :"app_role" LOGIN PASSWORD :'app_password'
    NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS;
GRANT CONNECT ON DATABASE :"dbname" TO :"owner_role", :"app_role";
-- PostgreSQL 15 no longer lets PUBLIC create in schema public; older servers did.
REVOKE CREATE ON SCHEMA public FROM PUBLIC;
GRANT USAGE, CREATE ON SCHEMA public TO :"owner_role";
GRANT USAGE ON SCHEMA public TO :"app_role";
