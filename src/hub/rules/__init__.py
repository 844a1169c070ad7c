"""The pay rules: pure functions over plain data. No database, broker, web or clock reads."""
