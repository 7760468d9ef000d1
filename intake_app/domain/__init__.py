"""Plain data, rules and checks. No I/O, no Qt, no SQL."""
