#!/bin/bash
# The cost of a screen update on an HD44780 over I2C: our changed-runs
# flush beside redrawing the whole display, for a call timer ticking.
build=${DP_BUILD:-build}
exec "$build/test/dp-board-bench"
