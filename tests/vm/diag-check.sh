#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# nm-l2tp-diag --check inside the lab VM, whose kernel has ESP, PPP and
# L2TP: after loading the modules as the lab does, the preflight must find
# no problem at all.
#
#   tests/vm/lab-run [--out DIR] tests/vm/diag-check.sh [BUILDDIR]
#
# BUILDDIR is a meson build directory of this tree (default: $LAB_BUILDDIR,
# else the tree's build/); the VM sees the host's file system, so a build
# under /tmp on the host works.  The build is installed into the VM's
# throw-away overlay first (as lab-lib.sh does for LAB_PLUGIN=project), so
# that the pppd plugin is where the preflight looks for it.
#
# Expected in the lab, and not a problem: "system-charon" is INFO (no system
# charon runs in the VM; the service would start its own).  DIAG_ALLOW
# (space-separated check ids) lists further checks allowed to fail.
#
# Prints TAP; the preflight's text and JSON go to /lab-out/diag-check/.
set -u
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
build=${1:-${LAB_BUILDDIR:-$top/build}}
diag=$build/diag/nm-l2tp-diag
out=${LAB_OUT:-/lab-out}/diag-check
allow=${DIAG_ALLOW:-}

n=0
failed=0
ok() { n=$((n + 1)); echo "ok $n - $1"; }
not_ok() { n=$((n + 1)); failed=$((failed + 1)); echo "not ok $n - $1"; }
die() { echo "Bail out! $*"; exit 1; }

[ "$(id -u)" = 0 ] || die "run as root inside the lab VM (tests/vm/lab-run)"
[ -x "$diag" ] || die "no nm-l2tp-diag at $diag (build first, pass BUILDDIR)"
mkdir -p "$out"

# shellcheck source=lab-lib.sh
. "$here/lab-lib.sh"
lab_modules

if meson install -C "$build" --no-rebuild >"$out/meson-install.log" 2>&1; then
    ok "meson install into the overlay"
else
    not_ok "meson install into the overlay (see diag-check/meson-install.log)"
fi

"$diag" --check >"$out/check.txt" 2>&1
rc=$?
"$diag" --check --json >"$out/check.json" 2>"$out/check-json.err"
sed 's/^/# /' "$out/check.txt"

# Every check by id and status, one per line.
python3 - "$out/check.json" >"$out/statuses.txt" <<'EOF' || die "cannot read the preflight's JSON"
import json, sys
doc = json.load(open(sys.argv[1]))
for c in doc["checks"]:
    print(c["id"], c["status"])
EOF

status_of() { awk -v id="$1" '$1 == id { print $2 }' "$out/statuses.txt"; }

for id in kernel-l2tp_ppp kernel-l2tp_netlink kernel-ppp_generic kernel-esp4 kernel-xfrm_user \
          dev-ppp charon charon-ikev1 charon-plugins xl2tpd pppd pppd-plugin \
          udp-500 udp-4500 udp-1701; do
    st=$(status_of "$id")
    case " $allow " in
    *" $id "*) ok "$id: $st (allowed by DIAG_ALLOW)"; continue ;;
    esac
    if [ "$st" = ok ]; then ok "$id: ok"; else not_ok "$id: ${st:-missing}"; fi
done
st=$(status_of system-charon)
if [ "$st" = info ] || [ "$st" = ok ]; then ok "system-charon: $st"; else not_ok "system-charon: ${st:-missing}"; fi

problems=$(grep -c ' problem$' "$out/statuses.txt")
if [ -z "$allow" ]; then
    if [ "$rc" = 0 ] && [ "$problems" = 0 ]; then
        ok "nm-l2tp-diag --check exits 0 and reports no problem"
    else
        not_ok "nm-l2tp-diag --check exits 0 and reports no problem (exit $rc, $problems problems)"
    fi
fi

# ---- with NetworkManager: a name only NetworkManager knows, the secrets
# from libnm (root) for redaction, --logs and --bundle, and the timeline as
# an ordinary user.  The report and the log are fixtures (no connection is
# made): the log holds the profile's PSK and password bare, which only the
# secrets from NetworkManager can find.
nm_part() {
    local uuid nobody=(setpriv --reuid=65534 --regid=65534 --clear-groups) x
    export LAB_PLUGIN=project LAB_BUILD_DIR=$build
    if ( lab_net_base && lab_client_start ) >"$out/client-start.log" 2>&1; then
        ok "NetworkManager up"
    else
        not_ok "NetworkManager up (see diag-check/client-start.log)"; return
    fi
    ( lab_vpn_profile diag-vpn 198.51.100.1 "$LAB_PSK1" ) >>"$out/client-start.log" 2>&1
    uuid=$(nmcli -g connection.uuid connection show diag-vpn 2>/dev/null)
    [ -n "$uuid" ] || { not_ok "VPN profile diag-vpn"; return; }
    mkdir -p /run/nm-l2tp && chmod 755 /run/nm-l2tp
    cat >"/run/nm-l2tp/$uuid.report" <<EOR
[attempt]
version=1
uuid=$uuid
name=old-name
started=2026-11-27T08:00:00Z
outcome=failed
verdict-stage=ppp-auth
verdict-cause=ppp-auth-rejected
verdict-message=the user name or password was rejected (E=691)
verdict-hint=check the user name, the password and the domain
wrong-secret=password

[stage resolve]
state=passed
seconds=0.010

[stage ike-phase1]
state=passed
seconds=1.200

[stage ike-phase2]
state=passed
seconds=1.500

[stage l2tp-tunnel]
state=passed
seconds=1.700

[stage l2tp-session]
state=passed
seconds=1.800

[stage ppp-lcp]
state=passed
seconds=2.000

[stage ppp-auth]
state=failed
seconds=2.400
detail=E=691

[stage ppp-network]
state=not-reached

[stage connected]
state=not-reached
EOR
    chmod 644 "/run/nm-l2tp/$uuid.report"
    printf '   0.100 ike: loaded shared key %s\n   2.300 ppp: the server did not like %s\n   2.400 ppp: MS-CHAP authentication failed: E=691\n' \
        "$LAB_PSK1" "$LAB_PASS" >"/run/nm-l2tp/$uuid.log"
    chmod 600 "/run/nm-l2tp/$uuid.log"

    "$diag" diag-vpn >"$out/timeline.txt" 2>&1
    if [ $? = 0 ] && grep -q 'PPP authentication .*FAILED' "$out/timeline.txt"; then
        ok "timeline of a connection found by its NetworkManager name"
    else
        not_ok "timeline of a connection found by its NetworkManager name"
    fi
    sed 's/^/# /' "$out/timeline.txt"
    "${nobody[@]}" "$diag" --json "$uuid" >"$out/timeline-nobody.json" 2>&1
    if [ $? = 0 ] && grep -q '"cause" : "ppp-auth-rejected"' "$out/timeline-nobody.json"; then
        ok "timeline --json as an ordinary user"
    else
        not_ok "timeline --json as an ordinary user"
    fi
    "${nobody[@]}" "$diag" --logs "$uuid" >"$out/logs-nobody.txt" 2>&1
    if [ $? = 1 ] && grep -q 'root only' "$out/logs-nobody.txt"; then
        ok "--logs as an ordinary user is refused with a hint"
    else
        not_ok "--logs as an ordinary user is refused with a hint"
    fi
    "$diag" --logs diag-vpn >"$out/logs.txt" 2>&1
    x=$?
    sed 's/^/# /' "$out/logs.txt"
    if [ $x = 0 ] && [ "$(grep -c -e 'shared key <redacted>$' -e 'did not like <redacted>$' "$out/logs.txt")" = 2 ] &&
        ! grep -qF -e "$LAB_PSK1" -e "$LAB_PASS" "$out/logs.txt"; then
        ok "--logs: the profile's PSK and password redacted (secrets from libnm)"
    else
        not_ok "--logs: the profile's PSK and password redacted (secrets from libnm)"
    fi
    rm -rf "$out/bundle"
    mkdir -p "$out/bundle"
    "$diag" --bundle "$out/bundle.tar.gz" diag-vpn >"$out/bundle.log" 2>&1 &&
        tar -xzf "$out/bundle.tar.gz" -C "$out/bundle"
    x=$?
    (cd "$out/bundle" && find . -type f | sort | sed 's/^/# /')
    if [ $x = 0 ] && ! grep -rqF -e "$LAB_PSK1" -e "$LAB_PASS" "$out/bundle" &&
        ! zcat "$out/bundle.tar.gz" | grep -qF -e "$LAB_PSK1" -e "$LAB_PASS"; then
        ok "--bundle: no secret in any file"
    else
        not_ok "--bundle: no secret in any file"
    fi
    if ls "$out"/bundle/*/config/swanctl.conf "$out"/bundle/*/settings.txt "$out"/bundle/*/logs.txt >/dev/null 2>&1 &&
        ! grep -q 'secrets were not available' "$out"/bundle/*/README.txt; then
        ok "--bundle: configs regenerated from the settings, logs, secrets known"
    else
        not_ok "--bundle: configs regenerated from the settings, logs, secrets known"
    fi
    sed 's/^/# /' "$out"/bundle/*/versions.txt

    # --show-config: by the name NetworkManager knows, and from the stored
    # keyfile, whose [vpn-secrets] hold the PSK and the password.
    for x in diag-vpn /etc/NetworkManager/system-connections/diag-vpn.nmconnection; do
        "$diag" --show-config "$x" >"$out/show-config.txt" 2>&1
        if [ $? = 0 ] && grep -q "remote_addrs = 198.51.100.1" "$out/show-config.txt" &&
            grep -q "^ipparam nm-l2tp-service-$uuid$" "$out/show-config.txt" &&
            ! grep -qF -e "$LAB_PSK1" -e "$LAB_PASS" "$out/show-config.txt"; then
            ok "--show-config $x: the connection's configs, no secret"
        else
            not_ok "--show-config $x: the connection's configs, no secret"
            sed 's/^/# /' "$out/show-config.txt"
        fi
    done
    nmcli connection delete diag-vpn >/dev/null 2>&1
}
[ "${DIAG_NM:-1}" = 1 ] && nm_part

echo "1..$n"
[ "$failed" = 0 ]
