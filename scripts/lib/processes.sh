# Sourced by the start/stop scripts and scripts/local: process checks shared by all of them.

# running PID: the process exists and is not a zombie waiting for a parent that does not reap
# it (some containers' init), which `kill -0` alone would count as running.
running() { kill -0 "$1" 2>/dev/null && [ "$(awk '{print $3}' "/proc/$1/stat" 2>/dev/null)" != Z ]; }
