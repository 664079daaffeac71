#!/bin/sh
# Installs the Debian packages ikescope needs to build and test, when missing.
# As root it runs apt-get; otherwise it prints the command and fails.
set -eu
missing=""
for pkg in "$@"; do
	status=$(dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null || true)
	case "$status" in
	*"install ok installed"*) ;;
	*) missing="$missing $pkg" ;;
	esac
done
[ -z "$missing" ] && exit 0
if [ "$(id -u)" -ne 0 ]; then
	echo "ikescope: missing Debian packages:$missing" >&2
	echo "ikescope: run as root:  apt-get update && apt-get install -y$missing" >&2
	exit 1
fi
echo "ikescope: installing:$missing"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
# shellcheck disable=SC2086
apt-get install -y -qq --no-install-recommends $missing
