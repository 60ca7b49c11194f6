#!/usr/bin/env bash
# The suite's entry points (see README.md):
#   ./suite.sh up [--fresh] [AppHost args]   install what is missing, build, run the whole suite in the foreground
#   ./suite.sh test [filter]                 install what is missing, build, run every test project, print a summary
#   ./suite.sh bench <area> [args]           run the benchmark program of an area (bench/<Area>), print its JSON line
# Every prerequisite is installed idempotently, and only when it is missing.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
cd "$ROOT"

# Debian packages the suite runs on: servers the AppHost and the test fixtures start themselves.
APT_PACKAGES=(redis-server redis-tools postgresql)

log() { printf '\033[1m[suite]\033[0m %s\n' "$*" >&2; }
die() { printf '\033[31m[suite] %s\033[0m\n' "$*" >&2; exit 1; }

# A package counts as present when dpkg says it is installed.
missing_apt_packages() {
  local pkg
  for pkg in "${APT_PACKAGES[@]}"; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || echo "$pkg"
  done
}

ensure_apt_packages() {
  local missing
  mapfile -t missing < <(missing_apt_packages)
  [ ${#missing[@]} -eq 0 ] && return 0
  if [ "$(id -u)" -ne 0 ]; then
    die "missing Debian packages: ${missing[*]}. Run as root, or install them first: sudo apt-get update && sudo apt-get install -y ${missing[*]}"
  fi
  log "installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  # Debian's postgresql package starts a cluster of its own through policy-rc.d; the suite runs its
  # own servers, so keep package scripts from starting services during the install.
  local own_policy=false
  if [ ! -e /usr/sbin/policy-rc.d ]; then
    printf '#!/bin/sh\nexit 101\n' > /usr/sbin/policy-rc.d && chmod +x /usr/sbin/policy-rc.d
    own_policy=true
  fi
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  if $own_policy; then rm -f /usr/sbin/policy-rc.d; fi
}

ensure_dotnet() {
  command -v dotnet >/dev/null || die "the .NET 10 SDK is required (dotnet not found on PATH): https://dot.net"
  export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
}

ensure_prerequisites() {
  ensure_dotnet
  ensure_apt_packages
}

build() {
  local configuration=$1
  log "building ($configuration)"
  dotnet build Suite.sln -c "$configuration" -nologo -clp:"ErrorsOnly;Summary" -v:quiet
}

cmd_up() {
  ensure_prerequisites
  build Release
  log "starting the suite (Ctrl+C stops it)"
  exec dotnet AppHost/bin/Release/net10.0/Suite.AppHost.dll --root "$ROOT" "$@"
}

# Runs each test project on its own, so that one that crashes or hangs is named, and adds up
# the counts from each project's summary line.
cmd_test() {
  ensure_prerequisites
  build Debug
  local filter=${1:-}
  local passed=0 failed=0 skipped=0 broken=() project name output line
  local results_dir="$ROOT/.suite/test-results"
  mkdir -p "$results_dir"
  for project in $(find tests -name '*.Tests.csproj' | sort); do
    name=$(basename "$project" .csproj)
    log "testing $name"
    output="$results_dir/$name.log"
    local args=(test "$project" --no-build -c Debug -nologo --blame-hang-timeout 5m)
    [ -n "$filter" ] && args+=(--filter "$filter")
    set +e
    timeout 1200 dotnet "${args[@]}" 2>&1 | tee "$output"
    local status=${PIPESTATUS[0]}
    set -e
    # VSTest ends each run with: "Passed!  - Failed: 0, Passed: 12, Skipped: 0, Total: 12, ..."
    line=$(grep -E '(Passed|Failed)! +- +Failed: +[0-9]+, +Passed: +[0-9]+, +Skipped: +[0-9]+' "$output" | tail -n 1 || true)
    if [ -z "$line" ]; then
      broken+=("$name (exit $status, no test summary: crashed, hung or did not build)")
      failed=$((failed + 1))
      continue
    fi
    passed=$((passed + $(sed -E 's/.*Passed: +([0-9]+).*/\1/' <<<"$line")))
    failed=$((failed + $(sed -E 's/.*Failed: +([0-9]+), +Passed.*/\1/' <<<"$line")))
    skipped=$((skipped + $(sed -E 's/.*Skipped: +([0-9]+).*/\1/' <<<"$line")))
    [ "$status" -ne 0 ] && ! grep -q "^Failed!" <<<"$line" && broken+=("$name (exit $status)")
  done
  for item in "${broken[@]}"; do log "broken: $item"; done
  echo "$passed passed, $failed failed, $skipped skipped"
  [ "$failed" -eq 0 ] && [ ${#broken[@]} -eq 0 ]
}

cmd_bench() {
  local area=${1:-}
  [ -n "$area" ] || die "usage: ./suite.sh bench <area>   (areas: $(ls bench | tr '\n' ' '))"
  shift
  local folder
  folder=$(find bench -mindepth 1 -maxdepth 1 -type d -iname "$area" | head -n 1)
  [ -n "$folder" ] || die "no benchmark area '$area' (areas: $(ls bench | tr '\n' ' '))"
  ensure_prerequisites
  log "building $folder (Release)"
  dotnet build "$folder" -c Release -nologo -clp:"ErrorsOnly;Summary" -v:quiet >&2
  local project
  project=$(find "$folder" -maxdepth 1 -name '*.csproj' | head -n 1)
  dotnet run --project "$project" -c Release --no-build -- "$@"
}

case "${1:-}" in
  up) shift; cmd_up "$@" ;;
  test) shift; cmd_test "$@" ;;
  bench) shift; cmd_bench "$@" ;;
  *) echo "usage: ./suite.sh up [--fresh] | test [filter] | bench <area>" >&2; exit 2 ;;
esac
