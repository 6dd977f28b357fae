"""The register of signed conventions (SQLAlchemy: SQLite by default, any URL): records, deadlines, ICS."""
