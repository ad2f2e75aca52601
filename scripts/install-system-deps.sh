#!/usr/bin/env bash
# Debian packages Balise needs: Chromium for browser tests, Tesseract (French) for OCR of scanned PDFs,
# espeak-ng for the speech the recording tests and the demo synthesise, Pango and a font for
# WeasyPrint's PDF reports.
# Installs only what is missing. When another apt or dpkg holds the lock (unattended-upgrades on a
# fresh machine), waits for it, saying so, up to BALISE_APT_LOCK_WAIT seconds (10 minutes).
set -euo pipefail
lock="${BALISE_APT_LOCK:-/var/lib/dpkg/lock-frontend}"
wait_seconds="${BALISE_APT_LOCK_WAIT:-600}"
need=()
command -v chromium >/dev/null 2>&1 || need+=(chromium)
command -v tesseract >/dev/null 2>&1 || need+=(tesseract-ocr)
command -v espeak-ng >/dev/null 2>&1 || need+=(espeak-ng)
ldconfig -p | grep -q 'libpangoft2-1.0.so.0' || need+=(libpango-1.0-0 libpangoft2-1.0-0)
[ -e /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf ] || need+=(fonts-dejavu-core)
[ -e /usr/share/tesseract-ocr/5/tessdata/fra.traineddata ] || [ -e /usr/share/tesseract-ocr/4.00/tessdata/fra.traineddata ] \
  || need+=(tesseract-ocr-fra)
if [ ${#need[@]} -eq 0 ]; then
  exit 0
fi
sudo=""
if [ "$(id -u)" -ne 0 ]; then
  sudo="sudo"
fi

# dpkg and apt lock with fcntl (not flock): ask for a shared lock without waiting; refused means held.
lock_held() {
  [ -e "$lock" ] || return 1
  command -v python3 >/dev/null 2>&1 || return 1 # apt-get's own Lock::Timeout still waits below
  ! $sudo python3 -c 'import fcntl, sys
with open(sys.argv[1]) as f:
    fcntl.lockf(f, fcntl.LOCK_SH | fcntl.LOCK_NB)' "$lock" 2>/dev/null
}

waited=0
while lock_held; do
  if [ "$waited" -ge "$wait_seconds" ]; then
    echo "Error: another apt or dpkg still holds $lock after ${wait_seconds} s." >&2
    echo "See which with: sudo fuser -v $lock ; let it finish, then run this again (make test)." >&2
    exit 1
  fi
  if [ $((waited % 30)) -eq 0 ]; then
    echo "Waiting for another apt or dpkg to finish (it holds $lock; ${waited} s of ${wait_seconds} s)..." >&2
  fi
  sleep 5
  waited=$((waited + 5))
done

echo "Installing Debian packages: ${need[*]}"
apt=($sudo apt-get -o "DPkg::Lock::Timeout=${wait_seconds}")
"${apt[@]}" update -qq
DEBIAN_FRONTEND=noninteractive "${apt[@]}" install -y -qq --no-install-recommends "${need[@]}" >/dev/null
