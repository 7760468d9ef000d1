"""The local SQLite store. The only layer that writes SQL for the station desk."""
