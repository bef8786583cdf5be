#!/bin/bash
# docker-entrypoint-initdb.d hook of the postgres image: creates the hub's owner and runtime
# accounts in $POSTGRES_DB from the passwords in .env (init-accounts.sql says why two).
set -euo pipefail
: "${HUB_DB_OWNER_PASSWORD:?set HUB_DB_OWNER_PASSWORD in .env}"
: "${HUB_DB_PASSWORD:?set HUB_DB_PASSWORD in .env}"
psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname "$POSTGRES_DB" \
  -v db="$POSTGRES_DB" \
  -v owner="${HUB_DB_OWNER_USER:-hub_owner}" -v owner_password="$HUB_DB_OWNER_PASSWORD" \
  -v runtime="${HUB_DB_USER:-hub}" -v runtime_password="$HUB_DB_PASSWORD" \
  -f /deploy/postgres/init-accounts.sql
