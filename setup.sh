#!/usr/bin/env bash
# Set up conventum on a fresh machine and render the sample convention to PDF:
# LibreOffice and metric-compatible fonts from Debian's packages when absent,
# a virtual environment in .venv with conventum and its development tools.
set -euo pipefail
cd "$(dirname "$0")"

install_system_packages() {
  local packages=(libreoffice-writer-nogui libreoffice-calc-nogui python3-uno fonts-liberation2
                  fonts-crosextra-carlito fonts-crosextra-caladea fonts-dejavu-core poppler-utils
                  postgresql  # the register's tests start their own server (tests/postgres.py)
                  redis-server  # the broker of the distributed tests (tests/cluster_support.py)
                  default-jre-headless libpdfbox2-java libactivation-java libjaxb-api-java  # PDF/A Preflight
                  chromium  # the browser the tests of the web form drive (Playwright)
                  softhsm2 opensc)  # a PKCS#11 token made by the signing tests (softhsm2-util, pkcs11-tool)
  local missing=()
  for package in "${packages[@]}"; do
    dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  local sudo=""
  [ "$(id -u)" -ne 0 ] && sudo="sudo"
  echo "Installation de : ${missing[*]}"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

if command -v apt-get >/dev/null; then
  install_system_packages
else
  echo "apt-get absent : installez LibreOffice vous-même pour produire des PDF." >&2
fi

PYTHON="${PYTHON:-python3}"
[ -x .venv/bin/python ] || "$PYTHON" -m venv .venv
.venv/bin/python -m pip install -q --upgrade pip
.venv/bin/python -m pip install -q -e ".[dev]"

mkdir -p out
.venv/bin/conventum render adhesion-centrale-achats samples/adhesion-centrale-achats.yaml \
  -o out/adhesion-centrale-achats.pdf --force
echo "Prêt : out/adhesion-centrale-achats.pdf"
