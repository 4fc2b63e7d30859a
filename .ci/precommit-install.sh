#!/usr/bin/env bash
# The hook installed the way pre-commit installs it (`language: node`: `npm install -g git+file://<clone>`),
# from a clone of this checkout at HEAD, run with `pre-commit run --all-files` in a temporary repository
# holding one bad migration: the hook must install (prepare builds dist/ without the devDependencies,
# scripts/prepare.mjs) and report the finding (exit 1), not fail to install (exit 3).
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
command -v pre-commit >/dev/null || python3 -m pip install --quiet pre-commit || pip install --quiet pre-commit
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
git clone --quiet "$here" "$work/clone"
sha="$(git -C "$work/clone" rev-parse HEAD)"
mkdir "$work/repo" && cd "$work/repo"
git init --quiet
mkdir migrations
printf 'CREATE INDEX i ON t (a);\n' > migrations/001_add_index.sql
printf 'repos:\n  - repo: %s\n    rev: %s\n    hooks:\n      - id: migration-lint\n' "$work/clone" "$sha" > .pre-commit-config.yaml
git add -A
code=0
PRE_COMMIT_HOME="$work/home" pre-commit run --all-files > "$work/out.log" 2>&1 || code=$?
cat "$work/out.log"
if [ "$code" -ne 1 ] || ! grep -q "require-concurrent-index-creation" "$work/out.log"; then
  echo "precommit-install: expected the hook to install and report require-concurrent-index-creation (exit 1), got exit $code" >&2
  exit 1
fi
echo "precommit-install: the hook installed from a git clone and reported the finding"
