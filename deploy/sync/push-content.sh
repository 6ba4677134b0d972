#!/bin/sh
# Push one content tree to every kiosk of the fleet over SSH, after checking it.
#   deploy/sync/push-content.sh /srv/exhibition/content kiosks.txt
# kiosks.txt: one SSH destination per line (kiosk@fengming-1.lan); lines starting with # skipped.
# Each kiosk applies the new version as one reload when its copy is complete.
set -eu
SRC=${1:?content folder}
LIST=${2:?file with one kiosk per line}
TARGET=${TARGET:-/srv/kiosk/content/}

# the kiosk command: KIOSK=..., else on PATH, else where docs/operations.md installs it
KIOSK=${KIOSK:-$(command -v kiosk || echo /opt/kiosk/bin/kiosk)}
[ -x "$KIOSK" ] || { echo "找不到 kiosk 命令（可设置 KIOSK=路径）/ the kiosk command is not found: set KIOSK=/path/to/kiosk" >&2; exit 2; }
"$KIOSK" check "$SRC" || { echo "内容有错误，未推送 / content has errors, nothing pushed" >&2; exit 1; }

failed=0
hosts=$(grep -v '^[[:space:]]*\(#\|$\)' "$LIST")
for host in $hosts; do
    if rsync -a --delete-delay --delay-updates --timeout=60 \
        --exclude=.stfolder --exclude=.stversions \
        -e "ssh -o BatchMode=yes -o ConnectTimeout=10" "${SRC%/}/" "$host:$TARGET"; then
        echo "OK    $host"
    else
        echo "FAIL  $host" >&2
        failed=1
    fi
done
exit $failed
