#!/usr/bin/env bash
# Installs every Debian 12 package voiceops needs to build, test, fuzz and benchmark.
# Idempotent: packages already installed are left alone. Run as root.
set -euo pipefail

packages=(
  build-essential cmake ninja-build ccache pkg-config git
  libcli11-dev libboost-dev libtomlplusplus-dev libsqlite3-dev sqlite3
  libcurl4-openssl-dev libfmt-dev libssl-dev libhowardhinnant-date-dev tzdata
  libpugixml-dev libbenchmark-dev catch2 libsystemd-dev nlohmann-json3-dev rapidjson-dev
  libstemmer-dev
  clang-14 libclang-rt-14-dev
  mandoc hyperfine bash-completion zsh fish
  python3-twilio
  prometheus wrk nginx-light
  util-linux e2fsprogs
  openssl ca-certificates
)

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done

if ((${#missing[@]} == 0)); then
  echo "setup: all ${#packages[@]} packages already installed"
  exit 0
fi

if [[ $(id -u) -ne 0 ]]; then
  echo "setup: missing packages (${missing[*]}); run this script as root" >&2
  exit 77
fi

echo "setup: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -q
apt-get install -y -q --no-install-recommends "${missing[@]}"
