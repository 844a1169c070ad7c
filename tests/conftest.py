"""Fixtures shared across the suite live in tests/fakes/ and load here as plugins."""

pytest_plugins = ["tests.fakes.databases", "tests.fakes.broker", "tests.fakes.browser", "tests.fakes.pcscd"]
