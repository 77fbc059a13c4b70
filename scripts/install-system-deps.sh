#!/usr/bin/env bash
# Install the Debian packages that budgetlib's reports and tests need.
#
#   fonts-noto-cjk    Noto Sans/Serif CJK: Chinese text in HTML reports rendered
#                     by Chromium, and fallback font for matplotlib charts
#   chromium          headless browser: tests screenshot the HTML reports
#   libreoffice-calc  headless LibreOffice: tests reopen and recalculate the
#                     Excel workbooks
#   poppler-utils     optional: pdftoppm/pdftotext for the sample PDFs
#
# Idempotent: packages already installed are skipped, and `apt-get update`
# only runs when something is missing. Run as root, or as a user with sudo.
# Usage: scripts/install-system-deps.sh
set -euo pipefail

REQUIRED=(fonts-noto-cjk chromium libreoffice-calc)
OPTIONAL=(poppler-utils)

export DEBIAN_FRONTEND=noninteractive

if [ "$(id -u)" -eq 0 ]; then
    SUDO=()
elif command -v sudo >/dev/null 2>&1; then
    SUDO=(sudo env DEBIAN_FRONTEND=noninteractive)
else
    echo "错误：需要 root 权限或 sudo 才能安装系统软件包：${REQUIRED[*]} ${OPTIONAL[*]}" >&2
    exit 1
fi

if ! command -v apt-get >/dev/null 2>&1; then
    echo "错误：未找到 apt-get。本脚本仅适用于 Debian/Ubuntu；其他系统请自行安装：" \
         "Noto Sans CJK 字体、Chromium、LibreOffice Calc。" >&2
    exit 1
fi

is_installed() {
    [ "$(dpkg-query -W -f='${db:Status-Status}' "$1" 2>/dev/null || true)" = "installed" ]
}

missing_of() {
    local pkg
    for pkg in "$@"; do
        is_installed "$pkg" || printf '%s\n' "$pkg"
    done
}

mapfile -t missing_required < <(missing_of "${REQUIRED[@]}")
mapfile -t missing_optional < <(missing_of "${OPTIONAL[@]}")

if [ "${#missing_required[@]}" -eq 0 ] && [ "${#missing_optional[@]}" -eq 0 ]; then
    echo "系统依赖均已安装：${REQUIRED[*]} ${OPTIONAL[*]}"
    exit 0
fi

APT_OPTS=(-y -q --no-install-recommends -o Dpkg::Options::=--force-confdef -o Dpkg::Options::=--force-confold)

echo "正在更新软件包列表（apt-get update）……"
"${SUDO[@]}" apt-get update -q

if [ "${#missing_required[@]}" -gt 0 ]; then
    echo "正在安装：${missing_required[*]}"
    "${SUDO[@]}" apt-get install "${APT_OPTS[@]}" "${missing_required[@]}"
fi

if [ "${#missing_optional[@]}" -gt 0 ]; then
    echo "正在安装可选软件包：${missing_optional[*]}"
    "${SUDO[@]}" apt-get install "${APT_OPTS[@]}" "${missing_optional[@]}" \
        || echo "警告：可选软件包安装失败（不影响报告生成）：${missing_optional[*]}" >&2
fi

mapfile -t still_missing < <(missing_of "${REQUIRED[@]}")
if [ "${#still_missing[@]}" -gt 0 ]; then
    echo "错误：以下软件包仍未安装：${still_missing[*]}" >&2
    exit 1
fi
for cmd in chromium soffice; do
    command -v "$cmd" >/dev/null 2>&1 || { echo "错误：安装后仍找不到命令 $cmd" >&2; exit 1; }
done
echo "系统依赖安装完成。"
