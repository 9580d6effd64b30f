#!/usr/bin/env bash
# Installs every Debian package (and npm package) GSI needs to build, test and benchmark, and
# nothing that is already there. Runs apt-get as root, through sudo otherwise.
#   scripts/deps.sh          build + test dependencies
#   scripts/deps.sh bench    also the peers the benchmarks compare against
set -euo pipefail
cd "$(dirname "$0")/.."

pkgs=(build-essential meson ninja-build pkg-config clang llvm libclang-rt-14-dev clang-tidy check
      libsqlite3-dev sqlite3 libpq-dev postgresql libsodium-dev libjansson-dev
      python3 gawk)
# The journal as tlog-tiles: Go's sumdb/tlog checker, an nginx mirror, a Python cosignature
# verifier (tests/tlog/).
pkgs+=(golang-go golang-golang-x-mod-dev nginx python3-cryptography)
# The HTTP tests check every response against docs/api.yaml (tests/integration/openapi_check.py).
pkgs+=(python3-yaml)
if [ "${1:-}" = bench ]; then
    pkgs+=(python3-pandas python3-numpy python3-sklearn wrk nginx time)
fi
# The dashboard (web/) and the benchmarks: Node.js and npm (esbuild bundles web/ at build
# time), and Debian's Chromium for the browser test (playwright-core drives /usr/bin/chromium;
# no browser is downloaded). Node.js may come from elsewhere than Debian (then Debian's npm
# conflicts with it).
pkgs+=(chromium)
command -v node >/dev/null 2>&1 && command -v npm >/dev/null 2>&1 || pkgs+=(nodejs npm)
# Cooperation: the allocation's test and bench compare it with scipy's LP solver.
pkgs+=(python3-scipy python3-numpy)

# One dpkg-query for all of them (one process per package cost seconds on a loaded machine,
# and `make run` runs this every time): a package is missing unless listed as installed.
installed=" $(dpkg-query -W -f='${Package} ${Status}\n' "${pkgs[@]}" 2>/dev/null |
    awk '/ install ok installed$/ { printf "%s ", $1 }' || true)"
missing=()
for p in "${pkgs[@]}"; do
    [[ "$installed" == *" $p "* ]] || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
    echo "deps: installing ${missing[*]}" >&2
    sudo=""
    [ "$(id -u)" -eq 0 ] || sudo=sudo
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2
fi

if [ "${1:-}" = bench ] && [ -f bench/package.json ]; then
    if [ ! -d bench/node_modules ] || [ bench/package-lock.json -nt bench/node_modules ]; then
        (cd bench && npm ci --no-audit --no-fund --loglevel=error) >&2
    fi
fi

# The dashboard's npm packages, pinned by web/package-lock.json.
if [ ! -d web/node_modules ] || [ web/package-lock.json -nt web/node_modules ]; then
    (cd web && npm ci --no-audit --no-fund --loglevel=error) >&2
fi
