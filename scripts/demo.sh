#!/usr/bin/env bash
# shellcheck source-path=SCRIPTDIR
# Run examples/demo.yml against the bundled Sevalla API simulator.
# Usage: scripts/demo.sh [extra ansible-playbook arguments, e.g. -v or --check --diff]
set -euo pipefail

# shellcheck source=lib/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"

CORE="$DEFAULT_CORE"
DEMO_DIR="$WORK/demo"
SIMULATOR_LOG="$DEMO_DIR/simulator.log"
API_KEY="sevalla-simulator-key"
SIMULATOR_PID=""

stop_simulator() {
    if [[ -n "$SIMULATOR_PID" ]] && kill -0 "$SIMULATOR_PID" 2>/dev/null; then
        kill "$SIMULATOR_PID" 2>/dev/null || true
        wait "$SIMULATOR_PID" 2>/dev/null || true
    fi
    SIMULATOR_PID=""
}

main() {
    local collection url
    [[ -f "$ROOT/examples/demo.yml" ]] || die "examples/demo.yml is missing: nothing to demo"
    lock_work_tree
    ensure_venv "$CORE"
    stage_collection "$CORE"
    collection="$(staged_collection "$CORE")"
    trap stop_simulator EXIT
    trap 'exit 130' INT
    trap 'exit 143' TERM
    start_simulator "$CORE" "$collection/tests" "$SIMULATOR_LOG"
    url="$(simulator_setting "$SIMULATOR_LOG" url)"
    log "Simulator listening at $url (log: $SIMULATOR_LOG)"
    log "ansible-playbook examples/demo.yml $*"
    cd "$collection"
    SEVALLA_API_URL="$url/v3" SEVALLA_API_KEY="$API_KEY" \
        ANSIBLE_COLLECTIONS_PATH="$(staging_root "$CORE")" \
        ANSIBLE_LOCALHOST_WARNING=false ANSIBLE_INVENTORY_UNPARSED_WARNING=false \
        in_venv "$CORE" ansible-playbook examples/demo.yml "$@"
    log "The demo's simulator stops now. To keep one running for your own playbooks: scripts/simulator.sh start" \
        "(see README.md)"
}

main "$@"
