#!/usr/bin/env bash
# Debian's python3 ships without venv/ensurepip; install it when missing.
set -euo pipefail
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
pyver=$(python3 -c 'import sys; print(f"{sys.version_info[0]}.{sys.version_info[1]}")')
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq "python${pyver}-venv" || $SUDO apt-get install -y -qq python3-venv
