"""A pytest plugin for runs under CPU emulation (scripts/prove-appliance arm64, with
`-p tests.emulated_hypothesis`): Hypothesis keeps its examples but drops its timing checks,
which measure qemu, not the code."""

from hypothesis import HealthCheck, settings

settings.register_profile("emulated", deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.load_profile("emulated")
