# Shared helpers for scripts/test.sh and scripts/demo.sh (sourced, not executed).
# shellcheck shell=bash

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
WORK="$ROOT/.work"
REQS="$ROOT/tests/requirements"
COLLECTION_NAMESPACE="sevalla"
COLLECTION_NAME="cloud"
DEFAULT_CORE="2.21"
# Bump to force every tool venv to be rebuilt after changing how venvs are made.
VENV_LAYOUT_VERSION="1"

log() {
    printf '\n==> %s\n' "$*" >&2
}

die() {
    printf 'ERROR: %s\n' "$*" >&2
    exit 1
}

# The Python version that the tools and ansible-test of one ansible-core version run on here
# (scripts/test.sh lists the supported versions in SUPPORTED_CORES).
core_python_version() {
    case "$1" in
        2.17 | 2.18 | 2.19) echo 3.11 ;;
        2.20) echo 3.12 ;;
        2.21 | 2.22) echo 3.13 ;;
        *) die "no Python version known for ansible-core $1" ;;
    esac
}

# Print the path of a Python interpreter of one version: $PYTHON if it is that version, else
# pythonX.Y on PATH, else the pyenv installation of it, else python3 if it is that version.
base_python() {
    local version="$1" core="$2" candidate prefix candidates
    candidates=("${PYTHON:-}" "python$version")
    if command -v pyenv >/dev/null 2>&1 && prefix="$(pyenv prefix "$version" 2>/dev/null)"; then
        candidates+=("$prefix/bin/python$version")
    fi
    candidates+=(python3)
    for candidate in "${candidates[@]}"; do
        [[ -n "$candidate" ]] || continue
        command -v "$candidate" >/dev/null 2>&1 || continue
        if "$candidate" -c "import sys; sys.exit(sys.version_info[:2] != (${version/./, }))" >/dev/null 2>&1; then
            command -v "$candidate"
            return 0
        fi
    done
    die "Python $version not found: ansible-core $core runs on Python $version here." \
        "Install it (for example 'pyenv install $version') or put python$version on PATH."
}

# Serialise runs in one work tree: they share .venv/ and the staged copy in .work/.
lock_work_tree() {
    mkdir -p "$WORK"
    command -v flock >/dev/null 2>&1 || return 0
    exec 9>"$WORK/.lock"
    if ! flock -n 9; then
        log "Waiting for another scripts/test.sh or scripts/demo.sh run in $ROOT to finish"
        flock 9
    fi
}

venv_dir() {
    printf '%s/.venv/core-%s\n' "$ROOT" "$1"
}

requirement_files() {
    printf '%s\n' "$REQS/core-$1.txt" "$REQS/core-$1-constraints.txt"
}

venv_stamp() {
    local core="$1" python="$2"
    {
        echo "layout=$VENV_LAYOUT_VERSION"
        "$python" -c 'import sys; print(sys.version)'
        requirement_files "$core" | xargs cat
    } | sha256sum | cut -d' ' -f1
}

# Create (or reuse, if its requirement files are unchanged) the tool venv of one core version.
ensure_venv() {
    local core="$1" dir python stamp file
    dir="$(venv_dir "$core")"
    python="$(base_python "$(core_python_version "$core")" "$core")"
    while read -r file; do
        [[ -f "$file" ]] || die "missing requirement file $file (unknown core version $core?)"
    done < <(requirement_files "$core")
    stamp="$(venv_stamp "$core" "$python")"
    if [[ -f "$dir/.stamp" && "$(cat "$dir/.stamp")" == "$stamp" ]]; then
        return 0
    fi
    log "Creating tool venv $dir (ansible-core $core)"
    rm -rf "$dir"
    "$python" -m venv "$dir"
    pip_install "$dir" -r "$REQS/core-$core.txt" -c "$REQS/core-$core-constraints.txt"
    echo "$stamp" > "$dir/.stamp"
}

pip_install() {
    local dir="$1" logfile
    shift
    logfile="$(mktemp)"
    if ! "$dir/bin/python" -m pip install --disable-pip-version-check "$@" >"$logfile" 2>&1; then
        grep -v "^WARNING: Location '" "$logfile" | tail -40 >&2
        rm -f "$logfile"
        die "pip install into $dir failed"
    fi
    rm -f "$logfile"
}

# Run a command with the tool venv of a core version first on PATH.
in_venv() {
    local core="$1" dir
    shift
    dir="$(venv_dir "$core")"
    PATH="$dir/bin:$PATH" VIRTUAL_ENV="$dir" "$@"
}

staging_root() {
    if [[ "$1" == "$DEFAULT_CORE" ]]; then
        printf '%s/collections\n' "$WORK"
    else
        printf '%s/collections-%s\n' "$WORK" "$1"
    fi
}

staged_collection() {
    printf '%s/ansible_collections/%s/%s\n' "$(staging_root "$1")" "$COLLECTION_NAMESPACE" "$COLLECTION_NAME"
}

source_files() {
    git -C "$ROOT" ls-files -z --cached --others --exclude-standard \
        | while IFS= read -r -d '' path; do
            case "$path" in
                .venv/* | .work/* | tests/output/*) continue ;;
            esac
            [[ -e "$ROOT/$path" || -L "$ROOT/$path" ]] && printf '%s\0' "$path"
        done
}

# Copy the tracked and untracked-but-not-ignored files into a fresh collection tree.
# tests/output/ of a previous copy is kept: ansible-test keeps its delegation venv there.
# The copy gets an empty git repository of its own: ansible-test would otherwise use the
# project's repository above it, where .work/ is ignored, and find no files at all.
stage_collection() {
    local dest
    dest="$(staged_collection "$1")"
    git -C "$ROOT" rev-parse --is-inside-work-tree >/dev/null 2>&1 || die "$ROOT is not a git work tree"
    mkdir -p "$dest"
    find "$dest" -mindepth 1 -maxdepth 1 ! -name tests -exec rm -rf {} +
    if [[ -d "$dest/tests" ]]; then
        find "$dest/tests" -mindepth 1 -maxdepth 1 ! -name output -exec rm -rf {} +
    fi
    source_files | (cd "$ROOT" && tar --null -T - -cf -) | tar -xf - -C "$dest"
    git -c init.defaultBranch=staging init -q "$dest"
    [[ -f "$dest/galaxy.yml" ]] || die "galaxy.yml is missing: nothing to stage as a collection"
}

# ansible-test --venv downloads get_pip_<pip version>.py, which cannot be reached offline.
bootstrap_ansible_test() {
    in_venv "$1" python "$ROOT/scripts/lib/offline_get_pip.py" "$(core_python_version "$1")"
}

# ansible-test sanity skips its shellcheck test, with only a warning, when shellcheck is not
# installed. Install the Debian package instead (as root), or fail.
ensure_shellcheck() {
    command -v shellcheck >/dev/null 2>&1 && return 0
    if [[ "$(id -u)" -ne 0 ]] || ! command -v apt-get >/dev/null 2>&1; then
        die "shellcheck is not installed and cannot be installed here: install it (Debian: apt-get install shellcheck)"
    fi
    log "Installing shellcheck (Debian package) for the shellcheck sanity test"
    local logfile
    logfile="$(mktemp)"
    if ! { apt-get -o DPkg::Lock::Timeout=600 update \
        && DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 install -y --no-install-recommends shellcheck; } \
        >"$logfile" 2>&1; then
        tail -20 "$logfile" >&2
        rm -f "$logfile"
        die "apt-get install shellcheck failed"
    fi
    rm -f "$logfile"
    command -v shellcheck >/dev/null 2>&1 || die "shellcheck is still missing after apt-get install shellcheck"
    shellcheck --version | sed -n 2p
}

# Start the Sevalla API simulator in the background on 127.0.0.1 with the tool venv of a core version, from
# the simulator package under TESTS_DIR, and wait until it listens: start_simulator CORE TESTS_DIR LOG
# [SIMULATOR OPTION...]. Sets SIMULATOR_PID. Its output goes to LOG: first SEVALLA_SIMULATOR_URL=URL, then a
# line a shell can source, export SEVALLA_API_URL=URL/v3 SEVALLA_API_KEY=KEY (see simulator_setting). It does
# not hold the work tree's lock (fd 9), and ignores SIGHUP, so it may outlive the script that started it.
start_simulator() {
    local core="$1" tests_dir="$2" logfile="$3" waited=0
    shift 3
    mkdir -p "$(dirname "$logfile")"
    : >"$logfile"
    PYTHONPATH="$tests_dir" nohup "$(venv_dir "$core")/bin/python" -m simulator --port 0 "$@" \
        </dev/null >"$logfile" 2>&1 9>&- &
    SIMULATOR_PID=$!
    until grep -q '^export SEVALLA_API_URL=' "$logfile"; do
        if ! kill -0 "$SIMULATOR_PID" 2>/dev/null; then
            cat "$logfile" >&2
            die "the simulator exited before it was ready"
        fi
        ((waited++ < 300)) || die "the simulator did not start within 30 seconds (log: $logfile)"
        sleep 0.1
    done
}

# A line the simulator printed when it started: simulator_setting LOG url (the base URL, without /v3) or
# simulator_setting LOG exports (export SEVALLA_API_URL=... SEVALLA_API_KEY=...).
simulator_setting() {
    case "$2" in
        url) sed -n '1,2s/^SEVALLA_SIMULATOR_URL=//p' "$1" ;;
        exports) sed -n '1,2{/^export SEVALLA_API_URL=/p}' "$1" ;;
        *) die "unknown simulator setting $2" ;;
    esac
}
