#!/usr/bin/env bash
# shellcheck source-path=SCRIPTDIR
# Run the collection's tests. See usage() below.
set -euo pipefail

# shellcheck source=lib/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"

ALL_STEPS=(sanity units integration lint docs changelog build live)
# Every tested ansible-core version, oldest first (lib/common.sh knows the Python of each).
SUPPORTED_CORES=(2.17 2.18 2.19 2.20 2.21 2.22)
# The steps each version runs when no step is named, and the only ones it accepts (in ALL_STEPS order).
declare -A CORE_STEPS=(
    [2.17]="sanity units"
    [2.18]="sanity units"
    [2.19]="sanity units"
    [2.20]="sanity units"
    [2.21]="${ALL_STEPS[*]}" # the default version (DEFAULT_CORE in lib/common.sh)
    [2.22]="sanity units integration"
)
# Sanity tests that cannot run on one version because ansible-test's requirements for them include a
# package from outside PyPI (a URL), which cannot be downloaded here: "CORE TEST", run with --skip-test
# TEST and named in the summary. The skip drops itself: it applies only while that version's ansible-test
# still lists a URL requirement for the test; once it does not, the test runs and the log says to remove
# the entry.
# - 2.22 pylint: ansible-test 2.22.0rc1 pins dill to a github.com archive. Remove this entry when a 2.22
#   release's pylint requirements install from PyPI.
SANITY_SKIPS_OFF_PYPI=("2.22 pylint")
OFF_PYPI_REASON="its requirements do not install from PyPI"
# The exit status of a step that did not run what it is for (as in automake): counted as skipped, not failed.
SKIPPED_STATUS=77
RESULTS=()
FAILED=0
SKIPPED=0
START=$SECONDS

# The sanity tests listed in SANITY_SKIPS_OFF_PYPI for one version, one a line.
listed_sanity_skips() {
    local entry entry_core test
    for entry in "${SANITY_SKIPS_OFF_PYPI[@]}"; do
        read -r entry_core test <<<"$entry"
        [[ "$entry_core" != "$1" ]] || echo "$test"
    done
}

# Join lines with ", ".
join_lines() {
    paste -sd, - | sed 's/,/, /g'
}

core_matrix() {
    local core skips
    for core in "${SUPPORTED_CORES[@]}"; do
        printf '  %-5s on Python %-5s %s' "$core" "$(core_python_version "$core")" "${CORE_STEPS[$core]}"
        skips="$(listed_sanity_skips "$core" | join_lines)"
        [[ -z "$skips" ]] || printf '\n%24s(sanity skips %s while %s)' '' "$skips" "$OFF_PYPI_REASON"
        printf '\n'
    done
}

usage() {
    local cores
    cores="$(IFS='|'; echo "${SUPPORTED_CORES[*]}")"
    cat <<EOF
Usage: scripts/test.sh [--core $cores|all] [STEP...]

Steps (default: all of them, in this order): ${ALL_STEPS[*]}
  sanity       ansible-test sanity --venv --python PYTHON (installs shellcheck if missing,
               fails if any sanity test is skipped other than those named below)
  units        ansible-test units --venv --python PYTHON
  integration  pytest -n auto --dist loadfile tests/integration tests/simulator
               (PYTEST_ADDOPTS adds pytest options)
  lint         ansible-lint --offline --profile production on examples/, tests/integration/ and tests/live/
  docs         antsibull-docs lint-collection-docs --plugin-docs, ansible-doc of every module
  changelog    antsibull-changelog lint
  build        ansible-galaxy collection build, then galaxy-importer on the tarball
  live         tests/live/run.py: one process through its whole life on a real account when
               SEVALLA_API_KEY and SEVALLA_LIVE_APP are set (see tests/live/README.md); otherwise
               skipped, and the same playbook runs against a fresh simulator with the API's limits on

--core picks the ansible-core version (default $DEFAULT_CORE); 'all' runs every version, oldest first.
Each version runs on its own Python (PYTHON above), and only these steps (all of them when no step
is named; with --core all, a named step runs on the versions that list it):
$(core_matrix)
Every step runs; a summary follows and the exit code is 1 if any step failed (a skipped step is not a failure).
EOF
}

contains() {
    local needle="$1" item
    shift
    for item in "$@"; do
        [[ "$item" == "$needle" ]] && return 0
    done
    return 1
}

collection_env() {
    local core="$1"
    shift
    ANSIBLE_COLLECTIONS_PATH="$(staging_root "$core")" in_venv "$core" "$@"
}

# The sanity tests to skip on one version: its SANITY_SKIPS_OFF_PYPI entries whose requirements, in the
# ansible-test installed for it, still include a package by URL.
sanity_skips() {
    local core="$1" test requirements
    requirements="$(in_venv "$core" python -c 'import ansible_test, os; print(os.path.dirname(ansible_test.__file__))')"
    requirements+="/_data/requirements"
    while read -r test; do
        [[ -n "$test" ]] || continue
        if grep -qsE '^[^#]*@ *[a-z+]+://' "$requirements/sanity.$test.txt"; then
            echo "$test"
        else
            log "ansible-test $core's requirements for the sanity test $test install from PyPI now, so it runs:" \
                "remove '$core $test' from SANITY_SKIPS_OFF_PYPI in scripts/test.sh"
            note "$test runs again: remove its SANITY_SKIPS_OFF_PYPI entry"
        fi
    done < <(listed_sanity_skips "$core")
}

# Every sanity test must run, apart from the skips above: ansible-test only warns when it skips one
# for a missing tool.
step_sanity() {
    local core="$1" output rc=0 skips=() skip_args=() test
    ensure_shellcheck
    bootstrap_ansible_test "$core"
    mapfile -t skips < <(sanity_skips "$core")
    for test in "${skips[@]}"; do
        skip_args+=(--skip-test "$test")
    done
    [[ ${#skips[@]} -eq 0 ]] || note "$(printf '%s\n' "${skips[@]}" | join_lines) skipped: $OFF_PYPI_REASON"
    output="$WORK/sanity-$core.log"
    (cd "$(staged_collection "$core")" \
        && in_venv "$core" ansible-test sanity --venv --python "$(core_python_version "$core")" \
            "${skip_args[@]}" -v) 2>&1 \
        | tee "$output" || rc=$?
    if grep -E 'Skipping sanity test' "$output" \
        | grep -vF -f <(printf 'Skipping sanity test "%s"\n' "${skips[@]}") >&2; then
        echo "ansible-test skipped the sanity tests above: counted as a failure" >&2
        rc=1
    fi
    grep -q '^Run command: shellcheck ' "$output" || { echo "the shellcheck sanity test did not run shellcheck" >&2; rc=1; }
    return "$rc"
}

step_units() {
    local core="$1"
    bootstrap_ansible_test "$core"
    (cd "$(staged_collection "$core")" \
        && in_venv "$core" ansible-test units --venv --python "$(core_python_version "$core")" -v)
}

step_integration() {
    local core="$1" rc=0
    (cd "$(staged_collection "$core")" \
        && collection_env "$core" python -m pytest -p no:cacheprovider \
            -n auto --dist loadfile tests/integration tests/simulator) || rc=$?
    [[ $rc -ne 5 ]] || echo "pytest collected no tests: counted as a failure" >&2
    return "$rc"
}

step_lint() {
    local core="$1" dir paths=()
    cd "$(staged_collection "$core")"
    for dir in examples tests/integration tests/live; do
        [[ -d "$dir" ]] && paths+=("$dir")
    done
    [[ ${#paths[@]} -gt 0 ]] || { echo "none of examples/, tests/integration/ and tests/live/ exists" >&2; return 1; }
    collection_env "$core" ansible-lint --offline --profile production "${paths[@]}"
}

module_names() {
    local file
    for file in plugins/modules/*.py; do
        [[ -f "$file" ]] || continue
        file="$(basename "$file" .py)"
        [[ "$file" == __init__ ]] || echo "$file"
    done
}

ansible_doc_check() {
    local core="$1" module="$2" out err
    out="$(mktemp)" err="$(mktemp)"
    if ! collection_env "$core" ansible-doc "$COLLECTION_NAMESPACE.$COLLECTION_NAME.$module" >"$out" 2>"$err" \
        || [[ ! -s "$out" ]] || grep -qE 'ERROR|\[WARNING\]' "$err"; then
        echo "ansible-doc $module failed or printed nothing:" >&2
        cat "$err" >&2
        rm -f "$out" "$err"
        return 1
    fi
    echo "ansible-doc $COLLECTION_NAMESPACE.$COLLECTION_NAME.$module: OK ($(wc -l <"$out") lines)"
    rm -f "$out" "$err"
}

step_docs() {
    local core="$1" module rc=0 count=0
    cd "$(staged_collection "$core")"
    collection_env "$core" antsibull-docs lint-collection-docs --plugin-docs . || rc=1
    while read -r module; do
        count=$((count + 1))
        ansible_doc_check "$core" "$module" || rc=1
    done < <(module_names)
    [[ $count -gt 0 ]] || { echo "no modules found in plugins/modules" >&2; rc=1; }
    docs_are_current "$core" || rc=1
    return "$rc"
}

# docs/plugins must be what antsibull-docs generates from the modules as they are (see docs/README.md).
docs_are_current() {
    local core="$1" fresh
    fresh="$(mktemp -d)"
    collection_env "$core" antsibull-docs collection --use-current --squash-hierarchy \
        --output-format simplified-rst --no-add-antsibull-docs-version --no-breadcrumbs --fail-on-error \
        --dest-dir "$fresh" sevalla.cloud >/dev/null || { rm -rf "$fresh"; return 1; }
    if ! diff -ru docs/plugins "$fresh"; then
        echo "docs/plugins is out of date: regenerate it with the command in docs/README.md" >&2
        rm -rf "$fresh"
        return 1
    fi
    rm -rf "$fresh"
}

step_changelog() {
    local core="$1"
    cd "$(staged_collection "$core")"
    if [[ ! -f changelogs/config.yaml ]]; then
        echo "changelogs/config.yaml is missing: FAIL" >&2
        return 1
    fi
    in_venv "$core" antsibull-changelog lint -v
    if [[ -f changelogs/changelog.yaml ]]; then
        in_venv "$core" antsibull-changelog lint-changelog-yaml changelogs/changelog.yaml
    fi
}

step_build() {
    local core="$1" tarballs output rc=0
    rm -rf "$WORK/dist" && mkdir -p "$WORK/dist"
    (cd "$(staged_collection "$core")" \
        && in_venv "$core" ansible-galaxy collection build --force --output-path "$WORK/dist")
    tarballs=("$WORK"/dist/*.tar.gz)
    [[ ${#tarballs[@]} -eq 1 && -f "${tarballs[0]}" ]] || { echo "expected one tarball in $WORK/dist" >&2; return 1; }
    output="$WORK/galaxy-importer.log"
    (cd "$WORK" && in_venv "$core" python -m galaxy_importer.main "${tarballs[0]}") >"$output" 2>&1 || rc=$?
    cat "$output"
    if grep -q 'ERROR' "$output"; then
        echo "galaxy-importer reported errors" >&2
        rc=1
    fi
    return "$rc"
}

# Against the real API only when both variables are set; otherwise against the simulator, and skipped (77).
step_live() {
    local core="$1"
    cd "$(staged_collection "$core")"
    collection_env "$core" python tests/live/run.py --report "$WORK/live-report.json" --summary-file "$NOTE_FILE"
}

dispatch() {
    case "$2" in
        sanity) step_sanity "$1" ;;
        units) step_units "$1" ;;
        integration) step_integration "$1" ;;
        lint) step_lint "$1" ;;
        docs) step_docs "$1" ;;
        changelog) step_changelog "$1" ;;
        build) step_build "$1" ;;
        live) step_live "$1" ;;
        *) die "unknown step $2" ;;
    esac
}

# Add a remark to the summary row of the running step (for example which sanity tests it skipped).
note() {
    printf '%s\n' "$*" >>"$NOTE_FILE"
}

run_step() {
    local core="$1" step="$2" start rc=0
    start=$SECONDS
    log "[core $core] $step"
    NOTE_FILE="$WORK/notes/$core-$step"
    mkdir -p "$WORK/notes" && rm -f "$NOTE_FILE"
    # errexit is ignored inside a subshell whose status is tested, so test it afterwards.
    set +e
    (
        set -euo pipefail
        ensure_venv "$core"
        stage_collection "$core"
        dispatch "$core" "$step" </dev/null
    )
    rc=$?
    set -e
    record "$core" "$step" "$rc" $((SECONDS - start)) "$(paste -sd';' "$NOTE_FILE" 2>/dev/null | sed 's/; */; /g')"
}

record() {
    local core="$1" step="$2" rc="$3" seconds="$4" remark="${5:+ ($5)}" result="PASS"
    if [[ "$rc" -eq "$SKIPPED_STATUS" ]]; then
        result="SKIPPED"
        SKIPPED=$((SKIPPED + 1))
    elif [[ "$rc" -ne 0 ]]; then
        result="FAIL (exit $rc)"
        FAILED=$((FAILED + 1))
    fi
    RESULTS+=("$(printf '%-6s %-12s %-16s %5ss%s' "$core" "$step" "$result" "$seconds" "$remark")")
    log "[core $core] $step: $result$remark in ${seconds}s"
}

summary() {
    printf '\n%-6s %-12s %-16s %6s\n' CORE STEP RESULT TIME
    printf '%s\n' "${RESULTS[@]}" "$(printf '%-6s %-12s %-16s %5ss' '' total '' $((SECONDS - START)))"
    printf 'steps: %d passed, %d failed, %d skipped\n' $((${#RESULTS[@]} - FAILED - SKIPPED)) "$FAILED" "$SKIPPED"
}

# The given steps that one version runs (see CORE_STEPS), in the order given.
steps_for_core() {
    local core="$1" step core_steps
    shift
    read -ra core_steps <<<"${CORE_STEPS[$core]}"
    for step in "$@"; do
        if contains "$step" "${core_steps[@]}"; then
            echo "$step"
        fi
    done
}

main() {
    local core_arg="$DEFAULT_CORE" steps=() cores=() core_steps=() core step
    while [[ $# -gt 0 ]]; do
        case "$1" in
            -h | --help) usage; exit 0 ;;
            --core) [[ $# -ge 2 ]] || die "--core needs a value"; core_arg="$2"; shift 2 ;;
            --core=*) core_arg="${1#--core=}"; shift ;;
            -*) usage >&2; die "unknown option $1" ;;
            *) contains "$1" "${ALL_STEPS[@]}" || { usage >&2; die "unknown step $1"; }; steps+=("$1"); shift ;;
        esac
    done
    for core in "${SUPPORTED_CORES[@]}"; do
        [[ -n "${CORE_STEPS[$core]:-}" ]] || die "scripts/test.sh: CORE_STEPS has no steps for $core"
    done
    if [[ "$core_arg" == all ]]; then
        cores=("${SUPPORTED_CORES[@]}")
    else
        contains "$core_arg" "${SUPPORTED_CORES[@]}" || die "unsupported --core $core_arg (use ${SUPPORTED_CORES[*]} or all)"
        cores=("$core_arg")
    fi
    # Without step names, every step that each version runs; named steps must all run on the version asked for.
    if [[ ${#steps[@]} -eq 0 ]]; then
        steps=("${ALL_STEPS[@]}")
    elif [[ "$core_arg" != all ]]; then
        for step in "${steps[@]}"; do
            [[ -n "$(steps_for_core "$core_arg" "$step")" ]] \
                || die "step $step does not run on ansible-core $core_arg (it runs only ${CORE_STEPS[$core_arg]})"
        done
    fi
    lock_work_tree
    for core in "${cores[@]}"; do
        mapfile -t core_steps < <(steps_for_core "$core" "${steps[@]}")
        for step in "${core_steps[@]}"; do
            run_step "$core" "$step"
        done
    done
    summary
    exit $((FAILED > 0))
}

main "$@"
