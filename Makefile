# Shortcuts to the scripts in scripts/, which do the work (and set the machine up first).
# `make test ARGS="tests/unit -q"` passes arguments on; so does `make bench ARGS="ingest"`.

.PHONY: demo test bench

demo:    ## a demo depot: broker, hub, web, a kiosk and a van, until Ctrl-C
	@scripts/demo $(ARGS)

test:    ## the whole test suite
	@scripts/test $(ARGS)

bench:   ## the benchmarks behind docs/scaling.md
	@scripts/bench $(ARGS)
