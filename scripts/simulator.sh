#!/usr/bin/env bash
# shellcheck source-path=SCRIPTDIR
# Keep the bundled Sevalla API simulator running for your own playbooks. See usage() below.
set -euo pipefail

# shellcheck source=lib/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"

SIMULATOR_DIR="$WORK/simulator"
SETTINGS="$SIMULATOR_DIR/env.sh"
PID_FILE="$SIMULATOR_DIR/pid"
SIMULATOR_LOG="$SIMULATOR_DIR/simulator.log"

usage() {
    cat <<USAGE
Usage: scripts/simulator.sh start [--core VERSION] [SIMULATOR OPTION...]
       scripts/simulator.sh stop
       scripts/simulator.sh status

start   Builds the tool venv of ansible-core VERSION (default $DEFAULT_CORE) and the staged collection as
        scripts/demo.sh does (both are reused when current), starts the simulator in the background on
        127.0.0.1, writes the settings to use it to
            ${SETTINGS#"$ROOT"/}
        and prints them: PATH (the venv's ansible-playbook first), ANSIBLE_COLLECTIONS_PATH (the staged
        collection), SEVALLA_API_URL (ending in /v3), SEVALLA_API_KEY (the simulator's full-access key) and
        SEVALLA_SIMULATOR_URL (its control endpoints). Load them into your shell with
            source ${SETTINGS#"$ROOT"/}
        SIMULATOR OPTIONs go to the simulator, for example --mutation-limit 5 or --deployment-duration 1
        (PYTHONPATH=tests python -m simulator --help lists them). When it already runs, start prints its
        settings again.
stop    Stops the simulator that start started, and removes the settings file.
status  Says whether it runs, where, and where its settings and log are.
USAGE
}

# The pid of the simulator that start started, if it still runs.
running_pid() {
    local pid
    [[ -f "$PID_FILE" ]] || return 1
    pid="$(cat "$PID_FILE")"
    [[ "$pid" =~ ^[0-9]+$ ]] || return 1
    ps -ww -o args= -p "$pid" 2>/dev/null | grep -q -- '-m simulator' || return 1
    echo "$pid"
}

write_settings() {
    local core="$1" bin
    bin="$(venv_dir "$core")/bin"
    {
        echo "# The Sevalla API simulator that scripts/simulator.sh started (pid $SIMULATOR_PID, log $SIMULATOR_LOG)."
        echo "# Load these settings with: source $SETTINGS"
        echo "# Stop the simulator with:  $ROOT/scripts/simulator.sh stop"
        # shellcheck disable=SC2016 # $PATH is expanded where the file is sourced
        printf 'case ":$PATH:" in *:%q:*) ;; *) export PATH=%q:"$PATH" ;; esac\n' "$bin" "$bin"
        printf 'export ANSIBLE_COLLECTIONS_PATH=%q\n' "$(staging_root "$core")"
        simulator_setting "$SIMULATOR_LOG" exports
        printf 'export SEVALLA_SIMULATOR_URL=%q\n' "$(simulator_setting "$SIMULATOR_LOG" url)"
        echo "# Playbooks with hosts: localhost need no inventory: no warnings about it."
        echo "export ANSIBLE_LOCALHOST_WARNING=false ANSIBLE_INVENTORY_UNPARSED_WARNING=false"
    } >"$SETTINGS.new"
    mv "$SETTINGS.new" "$SETTINGS"
}

start() {
    local core="$DEFAULT_CORE"
    if [[ "${1:-}" == --core ]]; then
        [[ $# -ge 2 ]] || die "--core needs a value"
        core="$2"
        shift 2
    fi
    core_python_version "$core" >/dev/null
    if SIMULATOR_PID="$(running_pid)"; then
        log "The simulator already runs (pid $SIMULATOR_PID): its settings are in $SETTINGS." \
            "To start it with other options, run scripts/simulator.sh stop first."
        cat "$SETTINGS"
        return 0
    fi
    lock_work_tree
    ensure_venv "$core"
    stage_collection "$core"
    rm -f "$PID_FILE" "$SETTINGS"
    start_simulator "$core" "$ROOT/tests" "$SIMULATOR_LOG" "$@"
    echo "$SIMULATOR_PID" >"$PID_FILE"
    write_settings "$core"
    log "Simulator listening at $(simulator_setting "$SIMULATOR_LOG" url) (pid $SIMULATOR_PID, log $SIMULATOR_LOG)." \
        "Load its settings with: source ${SETTINGS#"$PWD"/}   Stop it with: scripts/simulator.sh stop"
    cat "$SETTINGS"
}

stop() {
    local pid waited=0
    if ! pid="$(running_pid)"; then
        rm -f "$PID_FILE" "$SETTINGS"
        log "No simulator started by scripts/simulator.sh is running"
        return 0
    fi
    kill "$pid"
    while kill -0 "$pid" 2>/dev/null; do
        ((waited++ < 100)) || die "the simulator (pid $pid) did not stop within 10 seconds"
        sleep 0.1
    done
    rm -f "$PID_FILE" "$SETTINGS"
    log "Stopped the simulator (pid $pid)"
}

status() {
    local pid
    if ! pid="$(running_pid)"; then
        echo "The simulator is not running (start it with scripts/simulator.sh start)"
        return 1
    fi
    echo "The simulator runs at $(simulator_setting "$SIMULATOR_LOG" url) (pid $pid)"
    echo "Settings: $SETTINGS"
    echo "Log: $SIMULATOR_LOG"
}

main() {
    local command="${1:-}"
    [[ $# -eq 0 ]] || shift
    case "$command" in
        start) start "$@" ;;
        stop | status) [[ $# -eq 0 ]] || die "$command takes no arguments"; "$command" ;;
        -h | --help | help) usage ;;
        *) usage >&2; exit 2 ;;
    esac
}

main "$@"
