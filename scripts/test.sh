#!/usr/bin/env bash
# The whole test suite, as CI runs it: installs the real validators, browser and servers the
# tests drive (Debian, PyPI and npm packages only), then runs formatting, lints and every test.
set -euo pipefail
cd "$(dirname "$0")/.."

need_apt=()
command -v xmllint >/dev/null || need_apt+=(libxml2-utils)
command -v java >/dev/null || need_apt+=(default-jre-headless)
# The digest's TLS tests make a throwaway CA and server certificates with the openssl CLI.
command -v openssl >/dev/null || need_apt+=(openssl)
# The live-reload test drives a real headless Chromium (through npm playwright-core).
command -v chromium >/dev/null || need_apt+=(chromium)
[ -d /usr/share/fonts/opentype/noto ] || need_apt+=(fonts-noto-cjk)
if [ ${#need_apt[@]} -gt 0 ]; then
  echo "==> apt-get install ${need_apt[*]}"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need_apt[@]}" >/dev/null
fi

echo "==> pip install (feedparser, aiosmtpd)"
python3 -m pip install -q --disable-pip-version-check --root-user-action=ignore feedparser aiosmtpd

echo "==> npm ci (vnu-jar, doiuse-email, playwright-core, axe-core)"
npm ci --no-audit --no-fund --loglevel=error

echo "==> cargo fmt --check"
cargo fmt --check
echo "==> cargo clippy"
cargo clippy --all-targets --quiet -- -D warnings

echo "==> cargo test"
# Tests that need the tools above fail, rather than skip, when they are missing.
BULLETIN_REQUIRE_TOOLS=1 cargo test --all-targets 2>&1
