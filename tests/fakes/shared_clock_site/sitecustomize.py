"""Python runs this at start-up when its directory is on PYTHONPATH: a process the test
started on its shared clock (and any Python process that one starts) follows the clock."""

import os

if os.environ.get("SHARED_CLOCK_FILE"):
    from tests.fakes.shared_clock import follow_from_environment

    follow_from_environment()
