#!/usr/bin/env bash
# Start a local Prefect server for `budget-etl serve` (schedules need a real server; Prefect's temporary
# one dies with its process). Keeps its database under $PREFECT_HOME (default: ./.prefect) so run history
# survives restarts. Then, in the shell that runs `budget-etl serve`:
#     export PREFECT_API_URL=http://127.0.0.1:4200/api
set -euo pipefail

HOST="${PREFECT_SERVER_HOST:-127.0.0.1}"
PORT="${PREFECT_SERVER_PORT:-4200}"
export PREFECT_HOME="${PREFECT_HOME:-$PWD/.prefect}"
export PREFECT_SERVER_ANALYTICS_ENABLED="${PREFECT_SERVER_ANALYTICS_ENABLED:-false}"  # no phoning home

# The project's venv when run from a checkout, else whatever `prefect` is on PATH.
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
PREFECT="$here/.venv/bin/prefect"
[ -x "$PREFECT" ] || PREFECT="$(command -v prefect || true)"
if [ -z "$PREFECT" ]; then
  echo "error: prefect is not installed (run 'make venv' in the checkout)" >&2
  exit 2
fi

echo "Prefect server on http://$HOST:$PORT (UI and API), data in $PREFECT_HOME" >&2
echo "In another shell:  export PREFECT_API_URL=http://$HOST:$PORT/api" >&2
exec "$PREFECT" server start --host "$HOST" --port "$PORT"
