#!/usr/bin/env bash
# A newcomer's path on a fresh machine: clone the committed HEAD into a temporary folder
# whose name is neither `main` nor free of spaces, and run there the README's two commands
# (section "Two commands") with nothing but the system's PATH and the Swift toolchain, so
# the python3 is the system's (/usr/bin) and nothing set up in this checkout is reused.
# Between them it checks the other promises of a fresh clone: `pillars cases CASE` leaves
# the work tree clean, and the Benchmarks package builds from a folder of any name. After
# them the clone's work tree must still be clean. This is what CI runs (.ci/run).
#
#   bash Scripts/fresh_clone_check.sh                  # the README's two commands
#   bash Scripts/fresh_clone_check.sh -- 'CMD1' 'CMD2' # the same, checked to be the README's
#
# Environment: KEEP=1 keeps the clone (its path is printed); SKIP_BENCHMARKS=1 skips the
# Benchmarks build. Uncommitted changes are not in the clone: commit first.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
say() { echo "fresh-clone: $*"; }
die() { echo "fresh-clone: FAILED: $*" >&2; exit 1; }

# The README's two commands: the first two indented lines of the "Two commands" section.
readme_commands() {
  awk '/^## Two commands/ { on = 1; next } on && /^## / { exit } on && /^    [^ ]/ { sub(/^    /, ""); print }' \
    "$ROOT/README.md" | head -n 2
}
mapfile -t commands < <(readme_commands)
[ ${#commands[@]} -eq 2 ] || die "README.md: expected two indented commands under '## Two commands', found ${#commands[@]}"
if [ "${1:-}" = "--" ]; then
  shift
  [ $# -eq 2 ] || die "after --, give the two commands"
  [ "$1" = "${commands[0]}" ] || die "the first command is not the README's: '$1' vs '${commands[0]}'"
  [ "$2" = "${commands[1]}" ] || die "the second command is not the README's: '$2' vs '${commands[1]}'"
fi

swift_dir="$(dirname "$(command -v swift)")" || die "no swift on PATH"
clean_path="/usr/sbin:/usr/bin:/sbin:/bin:$swift_dir"
clone="$(mktemp -d "${TMPDIR:-/tmp}/pillars fresh clone.XXXXXX")"
if [ "${KEEP:-0}" = 1 ]; then trap 'say "kept $clone"' EXIT; else trap 'rm -rf "$clone"' EXIT; fi
head_commit="$(git -C "$ROOT" rev-parse HEAD)"
git clone -q --no-local "$ROOT" "$clone"
git -C "$clone" checkout -q --detach "$head_commit"
say "clone of $head_commit in '$clone'"

# Run a command in the clone with the clean PATH and no Python environment of the caller.
in_clone() {
  (cd "$clone" && env -u PYENV_VERSION -u VIRTUAL_ENV -u PYTHONPATH -u PYTHONHOME PATH="$clean_path" bash -o pipefail -c "$1")
}
assert_clean() {
  local status
  status="$(git -C "$clone" status --porcelain)"
  [ -z "$status" ] || die "$1 left the work tree changed:"$'\n'"$status"
}
say "python3 is $(PATH="$clean_path" command -v python3 || echo missing)"

say "README command 1: ${commands[0]}"
in_clone "${commands[0]}"
assert_clean "README command 1"

say "pillars cases with one case leaves Results/cases/ alone"
in_clone ".build/release/pillars cases Scenarios/cases/beijing-whistle-and-report.yaml --quiet"
assert_clean "pillars cases Scenarios/cases/beijing-whistle-and-report.yaml"

if [ "${SKIP_BENCHMARKS:-0}" != 1 ]; then
  say "the Benchmarks package builds from '$(basename "$clone")'"
  in_clone "swift build -c release --package-path Benchmarks 2>&1 | tail -n 1"
fi

say "README command 2: ${commands[1]}"
in_clone "${commands[1]}"
assert_clean "README command 2"
