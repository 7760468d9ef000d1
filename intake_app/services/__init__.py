"""Use cases over the store: intake, officers, audit, backups. No Qt, no printing of words."""
