#!/bin/sh
# Make sure the browser tests can run: Debian's chromium, a CJK font (fonts-noto-cjk) and poppler-utils.
# As root with apt-get (CI runs as root) the missing packages are installed; elsewhere this prints
# exactly what to install and exits 0 (the browser tests then skip locally and fail under CI=true).
# Never downloads a browser from anywhere but the distribution's package manager.
set -eu

missing=""
if [ ! -x /usr/bin/chromium ]; then
    missing="$missing chromium"
fi
if ! dpkg-query -W -f='${Status}' fonts-noto-cjk 2>/dev/null | grep -q "install ok installed"; then
    missing="$missing fonts-noto-cjk"
fi
# pdftotext and pdftoppm: the report tests read the text of the printed PDF
if [ ! -x /usr/bin/pdftotext ] || [ ! -x /usr/bin/pdftoppm ]; then
    missing="$missing poppler-utils"
fi

if [ -z "$missing" ]; then
    echo "ensure_browser: chromium, fonts-noto-cjk and poppler-utils are installed"
    exit 0
fi

if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
    echo "ensure_browser: installing$missing with apt-get"
    apt-get update -qq
    # shellcheck disable=SC2086  # word splitting of the package list is intended
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $missing
    exit 0
fi

echo "ensure_browser: the browser tests need:$missing"
if command -v apt-get >/dev/null 2>&1; then
    echo "  install them with: sudo apt-get update && sudo apt-get install -y$missing"
else
    echo "  on Debian/Ubuntu: sudo apt-get install -y chromium fonts-noto-cjk poppler-utils"
    echo "  (the tests use /usr/bin/chromium; elsewhere install Chromium there and a Noto Sans CJK SC font)"
fi
echo "  without them the browser tests skip locally and fail under CI=true"
exit 0
