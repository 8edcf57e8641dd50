"""What the benchmark commands (bench_search, bench_report) share."""

import psycopg
from django.conf import settings
from django.db import connection, connections


def use_database(name: str) -> None:
    """Switch this process to the database `name` on the same server, creating it if missing:
    a benchmark's data never touches the development or test databases."""
    params = connection.get_connection_params()
    with psycopg.connect(**{**params, "dbname": "postgres"}, autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            conn.execute(f'CREATE DATABASE "{name}"')
    connections.close_all()
    settings.DATABASES["default"]["NAME"] = name
    connections["default"].settings_dict["NAME"] = name
