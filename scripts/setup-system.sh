#!/usr/bin/env bash
# Installs the Debian packages the tests drive for real: Chromium for the site, nft/iptables/dnsmasq and
# yanglint for generated rules, sqlite3 for the Pi-hole list, iproute2 for network namespaces. Idempotent; needs root (or sudo).
set -euo pipefail
packages=(chromium nftables iptables ipset dnsmasq-base libyang2-tools iproute2 util-linux procps sqlite3)
missing=()
for p in "${packages[@]}"; do dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p"); done
if [ ${#missing[@]} -eq 0 ]; then echo "system packages present: ${packages[*]}"; exit 0; fi
SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
echo "installing: ${missing[*]}"
$SUDO env DEBIAN_FRONTEND=noninteractive apt-get update -qq
$SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}"
