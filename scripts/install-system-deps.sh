#!/usr/bin/env bash
# Debian packages Balise needs: Chromium for browser tests, Tesseract (French) for OCR of scanned PDFs.
set -euo pipefail
need=()
command -v chromium >/dev/null 2>&1 || need+=(chromium)
command -v tesseract >/dev/null 2>&1 || need+=(tesseract-ocr)
[ -e /usr/share/tesseract-ocr/5/tessdata/fra.traineddata ] || [ -e /usr/share/tesseract-ocr/4.00/tessdata/fra.traineddata ] \
  || need+=(tesseract-ocr-fra)
if [ ${#need[@]} -eq 0 ]; then
  exit 0
fi
sudo=""
if [ "$(id -u)" -ne 0 ]; then
  sudo="sudo"
fi
echo "Installing Debian packages: ${need[*]}"
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
