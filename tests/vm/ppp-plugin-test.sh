#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# End-to-end test of the pppd plugin (helper/nm-l2tp-pppd-plugin.so), to run
# INSIDE the lab VM, which has kernel PPP:
#
#   tests/vm/lab-run [--out DIR] tests/vm/ppp-plugin-test.sh [BUILDDIR]
#
# BUILDDIR is a meson build directory of this tree (default: $LAB_BUILDDIR,
# else the tree's build/); the VM sees the host's file system, so a build
# under /tmp on the host works.
#
# Setup: two network namespaces, "pppcli" and "pppsrv".  A client pppd in
# pppcli loads the plugin and runs, as its "pty" device, a server pppd in
# pppsrv ("notty": it talks over its stdin/stdout, the pty's slave, rather
# than guessing a device name from it) that demands authentication (PAP, CHAP, MS-CHAPv2 or its default)
# against its own pap-/chap-secrets.  The plugin talks to a test double of
# nm-l2tp-service (tests/helper/ppp-service-double.py) on a private
# dbus-daemon, reached through the plugin's nm-l2tp-bus-address option.
# The double answers NeedSecrets and records every call; the checks read
# that record.  Prints TAP; logs and records go to /lab-out (--out).
set -u
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
build=${1:-${LAB_BUILDDIR:-$top/build}}
plugin=$build/helper/nm-l2tp-pppd-plugin.so
double=$top/tests/helper/ppp-service-double.py
xml=$top/data/org.freedesktop.NetworkManager.l2tp.ppp.xml
out=${LAB_OUT:-/lab-out}/ppp-plugin
state=/run/nm-l2tp-ppp-test
bus_name=org.freedesktop.NetworkManager.l2tp.test_double
# Fixtures of this test, not secrets.
user=labuser
pass=labpass-9w
srv_addr=203.0.113.1
cli_addr=203.0.113.10
dns1=198.51.100.53
dns2=198.51.100.54
wins1=198.51.100.55

n=0
failed=0
ok() { n=$((n + 1)); echo "ok $n - $1"; }
not_ok() { n=$((n + 1)); failed=$((failed + 1)); echo "not ok $n - $1"; }
check() { # DESCRIPTION COMMAND...
    local d=$1; shift
    if "$@"; then ok "$d"; else not_ok "$d"; fi
}
die() { echo "Bail out! $*"; exit 1; }
not() { ! "$@"; }

[ "$(id -u)" = 0 ] || die "run as root inside the lab VM (tests/vm/lab-run)"
[ -f "$plugin" ] || die "no plugin at $plugin (build first, pass BUILDDIR)"
[ -x /usr/bin/python3 ] && /usr/bin/python3 -c 'import gi' 2>/dev/null ||
    die "python3-gi is needed for the service test double"
command -v dbus-daemon >/dev/null || die "dbus-daemon missing"
for m in ppp_generic ppp_async; do modprobe "$m" || die "modprobe $m failed"; done
[ -c /dev/ppp ] || die "/dev/ppp missing after modprobe"

mkdir -p "$out" "$state"
rm -f "$out"/*

# --- the network namespaces and their /etc/ppp ------------------------------
# "ip netns exec NAME" bind-mounts /etc/netns/NAME/* over /etc, so each side
# gets its own /etc/ppp: an empty options file (Debian's asks for "auth",
# "crtscts" and "lock", which a pty link between two pppds must not have)
# and, on the server, the secrets.
for ns in pppcli pppsrv; do
    ip netns add "$ns" || die "ip netns add $ns"
    ip -n "$ns" link set lo up
    mkdir -p "/etc/netns/$ns/ppp"
    : >"/etc/netns/$ns/ppp/options"
done
printf '"%s" * "%s" *\n' "$user" "$pass" >/etc/netns/pppsrv/ppp/pap-secrets
cp /etc/netns/pppsrv/ppp/pap-secrets /etc/netns/pppsrv/ppp/chap-secrets
chmod 600 /etc/netns/pppsrv/ppp/*-secrets

# --- the private bus ----------------------------------------------------------
# A path socket, not the session default (abstract sockets are per network
# namespace, and pppd runs in pppcli while the double runs here).
bus_sock=$state/bus
bus_addr=unix:path=$bus_sock
dbus-daemon --session --address="$bus_addr" --nofork --nopidfile \
    >"$out/dbus-daemon.log" 2>&1 &
bus_pid=$!
for _ in $(seq 50); do [ -S "$bus_sock" ] && break; sleep 0.1; done
[ -S "$bus_sock" ] || die "the private dbus-daemon did not start"

cleanup() {
    [ -n "${double_pid:-}" ] && kill "$double_pid" 2>/dev/null
    kill "$bus_pid" 2>/dev/null
    wait 2>/dev/null
}
trap cleanup EXIT

# start_double SCENARIO [ARGS...]: the test double for one scenario; its
# record is $out/SCENARIO.calls.
start_double() {
    local sc=$1; shift
    rec=$out/$sc.calls
    : >"$rec"
    times=$out/$sc.times
    : >"$times"
    coproc DOUBLE { exec /usr/bin/python3 "$double" --address "$bus_addr" --name "$bus_name" \
        --xml "$xml" --record "$rec" --times "$times" --user "$user" "$@" \
        2>>"$out/$sc.double.log"; }
    double_pid=$DOUBLE_PID
    local line=""
    read -r -t 20 line <&"${DOUBLE[0]}"
    [ "$line" = READY ] || die "test double did not start (see $sc.double.log)"
}

stop_double() {
    kill "$double_pid" 2>/dev/null
    wait "$double_pid" 2>/dev/null
    double_pid=""
}

# start_pppd SCENARIO "SERVER OPTIONS" [CLIENT OPTIONS...]: the client pppd
# in the background (pid in $ppp_pid), the server pppd as its pty command.
start_pppd() {
    local sc=$1 srvopts=$2; shift 2
    local srv="ip netns exec pppsrv /usr/sbin/pppd notty nodetach local unit 7 auth $srvopts"
    srv="$srv $srv_addr:$cli_addr ms-dns $dns1 ms-dns $dns2 ms-wins $wins1"
    srv="$srv name labserver noccp debug logfile $out/$sc.server.log"
    ip netns exec pppcli /usr/sbin/pppd \
        plugin "$plugin" nm-l2tp-service "$bus_name" nm-l2tp-bus-address "$bus_addr" \
        nodetach local noauth unit 0 noccp noipdefault usepeerdns \
        remotename labserver maxfail 1 debug logfile "$out/$sc.client.log" \
        pty "$srv" "$@" >"$out/$sc.client.out" 2>&1 &
    ppp_pid=$!
}

# wait_for FILE PATTERN SECONDS
wait_for() {
    local i
    for ((i = 0; i < $3 * 10; i++)); do
        grep -qE -- "$2" "$1" 2>/dev/null && return 0
        kill -0 "$ppp_pid" 2>/dev/null || { grep -qE -- "$2" "$1"; return; }
        sleep 0.1
    done
    return 1
}

# wait_exit SECONDS: wait for the client pppd, its status in $ppp_rc.
wait_exit() {
    local i
    for ((i = 0; i < $1 * 10; i++)); do
        kill -0 "$ppp_pid" 2>/dev/null || break
        sleep 0.1
    done
    kill -0 "$ppp_pid" 2>/dev/null && kill -KILL "$ppp_pid"
    wait "$ppp_pid"
    ppp_rc=$?
}

has() { grep -qxF -- "$2" "$1"; }
has_re() { grep -qE -- "$2" "$1"; }
# The phases reported, in order, as one line: "2 4 5 7 8 ...".
phases() { awk '$1 == "SetState" { printf "%s ", $2 }' "$1"; }
no_password_logged() { ! grep -rqF -- "$pass" "$out"/*.client.* "$out"/*.double.log; }
show() { sed 's/^/#   /' "$@"; }

# scenario NAME SERVER-OPTIONS METHOD: the right password; the link comes
# up, the IPv4 config is reported, then a SIGTERM ends pppd.
scenario_ok() {
    local sc=$1 srvopts=$2 method=$3
    shift 3 # the rest: extra client options
    echo "# --- $sc: server '$srvopts', correct password"
    start_double "$sc" --password "$pass"
    start_pppd "$sc" "$srvopts" "$@"
    wait_for "$rec" '^SetIp4Config' 40
    # Let the RUNNING report and the interface settle before looking.
    sleep 1
    ip -n pppcli -4 addr show dev ppp0 >"$out/$sc.ppp0" 2>&1
    ip netns exec pppcli ping -c 1 -W 5 "$srv_addr" >"$out/$sc.ping" 2>&1
    ping_rc=$?
    kill -TERM "$ppp_pid" 2>/dev/null
    wait_exit 20
    sleep 0.5
    stop_double

    check "$sc: NeedSecrets was called once" [ "$(grep -cx NeedSecrets "$rec")" = 1 ]
    local ph
    ph=$(phases "$rec")
    # (A here-string, not <(...): the VM's devtmpfs has no /dev/fd.)
    check "$sc: phases ESTABLISH AUTHENTICATE NETWORK RUNNING in order (got: $ph)" \
        grep -qE '(^| )4 5 7 8 ' <<<"$ph"
    check "$sc: SetAuthResult $method true" has "$rec" "SetAuthResult $method true"
    check "$sc: exactly one SetAuthResult" [ "$(grep -c '^SetAuthResult' "$rec")" = 1 ]
    check "$sc: auth result reported after AUTHENTICATE" \
        [ "$(grep -n '^SetAuthResult' "$rec" | cut -d: -f1)" -gt "$(grep -nx 'SetState 5' "$rec" | cut -d: -f1)" ]
    check "$sc: SetIp4Config address $cli_addr" has_re "$rec" "^SetIp4Config .*address=$cli_addr( |$)"
    check "$sc: SetIp4Config peer $srv_addr" has_re "$rec" "^SetIp4Config .*peer=$srv_addr( |$)"
    check "$sc: SetIp4Config dns $dns1,$dns2" has_re "$rec" "^SetIp4Config .*dns=$dns1,$dns2( |$)"
    # A pppd client never asks for WINS servers (there is no option for
    # it), so the server's ms-wins is not sent and no "wins" key is due.
    check "$sc: SetIp4Config has no wins (not requested)" not has_re "$rec" "^SetIp4Config .*wins="
    check "$sc: SetIp4Config iface ppp0" has_re "$rec" "^SetIp4Config .*iface=ppp0( |$)"
    check "$sc: SetIp4Config mtu 1500" has_re "$rec" "^SetIp4Config .*mtu=1500( |$)"
    check "$sc: ppp0 really has $cli_addr" grep -qF "inet $cli_addr" "$out/$sc.ppp0"
    check "$sc: the server answers a ping over the link" [ "$ping_rc" = 0 ]
    check "$sc: pppd exits 5 (EXIT_USER_REQUEST) after SIGTERM (got $ppp_rc)" [ "$ppp_rc" = 5 ]
    check "$sc: SetExitStatus 5 is the last call" [ "$(tail -n1 "$rec")" = "SetExitStatus 5" ]
    check "$sc: the password is in no log or record" no_password_logged
    [ "$failed" = 0 ] || { echo "# record:"; show "$rec"; echo "# client log:"; show "$out/$sc.client.log"; }
}

# scenario_wrong NAME SERVER-OPTIONS METHOD: a wrong password.
scenario_wrong() {
    local sc=$1 srvopts=$2 method=$3 f0=$failed
    echo "# --- $sc: server '$srvopts', wrong password"
    start_double "$sc" --password "not-$pass"
    start_pppd "$sc" "$srvopts"
    wait_exit 60
    sleep 0.5
    stop_double

    check "$sc: NeedSecrets was called" has "$rec" NeedSecrets
    check "$sc: SetAuthResult $method false" has "$rec" "SetAuthResult $method false"
    check "$sc: no NETWORK phase" not has "$rec" "SetState 7"
    check "$sc: no SetIp4Config" not has_re "$rec" '^SetIp4Config'
    check "$sc: pppd exits 19 (EXIT_AUTH_TOPEER_FAILED) (got $ppp_rc)" [ "$ppp_rc" = 19 ]
    check "$sc: SetExitStatus 19 is the last call" [ "$(tail -n1 "$rec")" = "SetExitStatus 19" ]
    [ "$failed" = "$f0" ] || { echo "# record:"; show "$rec"; echo "# client log:"; show "$out/$sc.client.log"; }
}

echo "# plugin: $plugin"

# dryrun with /dev/ppp present: the options are parsed and printed, and
# the plugin does not touch D-Bus for it.
dry=$(cd / && /usr/sbin/pppd plugin "$plugin" nm-l2tp-service "$bus_name" \
    nm-l2tp-bus-address "$bus_addr" dryrun nodetach noauth file /dev/null pty /bin/true 2>&1)
dry_rc=$?
echo "$dry" >"$out/dryrun.out"
check "dryrun: pppd exits 0 (got $dry_rc)" [ "$dry_rc" = 0 ]
check "dryrun: prints the service option" grep -qF "nm-l2tp-service $bus_name" <<<"$dry"
check "dryrun: prints the bus address option" grep -qF "nm-l2tp-bus-address $bus_addr" <<<"$dry"
check "dryrun: no D-Bus traffic" not grep -q "nm-l2tp: connected" <<<"$dry"

scenario_ok pap-only "require-pap" pap
scenario_ok mschapv2-only "require-mschap-v2" mschap-v2
scenario_ok chap-md5-only "require-chap" chap
scenario_ok mschap-only "require-mschap" mschap
# With only "auth" and a CHAP secret, pppd asks for EAP (MD5-Challenge),
# whose secret also comes through the CHAP hook.  EAP sends its Identity
# before any secret is asked for, from pppd's "user" option (the host name
# without it), so here the client needs "user" in its options: the service
# must write it into the options file; NeedSecrets alone cannot fill it in
# time.
scenario_ok default-eap "" eap user "$user"
scenario_wrong pap-wrong "require-pap" pap
scenario_wrong mschapv2-wrong "require-mschap-v2" mschap-v2

# ms from the first phase change to METHOD, from the double's time stamps:
# a figure for the log, not a pass/fail check.
ms_to() {
    awk -v m="$2" 'NR == 1 { t0 = $1 } $2 == m { printf "%d", ($1 - t0) * 1000; exit }' "$1"
}

# --- IPv6 inside the tunnel (issue #16) ---------------------------------------
# The server offers IPv6CP with interface identifiers ::1 for itself and
# ::2 for us, and radvd on its end of the link advertises 2001:db8:1::/64.
sc=ipv6-offered
echo "# --- $sc"
f0=$failed
cat >"$state/radvd.conf" <<EOF
interface ppp7 {
    AdvSendAdvert on;
    IgnoreIfMissing on;
    MinRtrAdvInterval 3;
    MaxRtrAdvInterval 4;
    prefix 2001:db8:1::/64 {
        AdvOnLink on;
        AdvAutonomous on;
    };
};
EOF
ip netns exec pppsrv sysctl -qw net.ipv6.conf.all.forwarding=1
ip netns exec pppsrv radvd -n -C "$state/radvd.conf" -p "$state/radvd.pid" -m logfile \
    -l "$out/$sc.radvd.log" >"$out/$sc.radvd.out" 2>&1 &
radvd_pid=$!
start_double "$sc" --password "$pass"
start_pppd "$sc" "require-pap +ipv6 ipv6 ::1,::2" +ipv6 ipv6cp-accept-local
wait_for "$rec" '^SetIp6Config' 40
wait_for "$rec" '^SetIp4Config' 40
defrtr=$(ip netns exec pppcli cat /proc/sys/net/ipv6/conf/ppp0/accept_ra_defrtr 2>&1)
ip -n pppsrv addr add 2001:db8:1::1/64 dev ppp7
for _ in $(seq 150); do
    ip -n pppcli -6 addr show dev ppp0 scope global 2>/dev/null | grep -q 'inet6 2001:db8:1::2/' && break
    sleep 0.1
done
ip -n pppcli -6 addr show dev ppp0 >"$out/$sc.ppp0" 2>&1
ip -n pppcli -6 route show >"$out/$sc.routes" 2>&1
ip netns exec pppcli ping -6 -c 1 -W 5 fe80::1%ppp0 >"$out/$sc.ping-ll" 2>&1
ll_rc=$?
ip netns exec pppcli ping -6 -c 1 -W 5 2001:db8:1::1 >"$out/$sc.ping" 2>&1
ping_rc=$?
kill -TERM "$ppp_pid" 2>/dev/null
wait_exit 20
sleep 0.5
stop_double
kill "$radvd_pid" 2>/dev/null
wait "$radvd_pid" 2>/dev/null
echo "# $sc: SetIp4Config after $(ms_to "$times" SetIp4Config) ms, SetIp6Config after $(ms_to "$times" SetIp6Config) ms"
check "$sc: SetIp6Config with the identifiers IPv6CP agreed on" \
    has "$rec" "SetIp6Config iface=ppp0 our-iid=0000000000000002 peer-iid=0000000000000001"
check "$sc: exactly one SetIp6Config" [ "$(grep -c '^SetIp6Config' "$rec")" = 1 ]
check "$sc: SetIp4Config as well" has_re "$rec" "^SetIp4Config .*address=$cli_addr( |$)"
check "$sc: the plugin logs the link-local addresses" \
    grep -qF "nm-l2tp: IPv6 up on ppp0: local fe80::2, peer fe80::1" "$out/$sc.client.log"
check "$sc: RAs give no default route (accept_ra_defrtr=$defrtr)" [ "$defrtr" = 0 ]
# pppd sets the link-local address with the peer's as a /128.
check "$sc: ppp0 has fe80::2 with the peer fe80::1" \
    grep -qF "inet6 fe80::2 peer fe80::1/128" "$out/$sc.ppp0"
check "$sc: the server answers on its link-local address" [ "$ll_rc" = 0 ]
check "$sc: ppp0 has 2001:db8:1::2 by SLAAC from the server's RA" \
    grep -qF "inet6 2001:db8:1::2/64" "$out/$sc.ppp0"
check "$sc: no IPv6 default route on the client" not grep -q '^default' "$out/$sc.routes"
check "$sc: the server answers on 2001:db8:1::1 through the link" [ "$ping_rc" = 0 ]
check "$sc: pppd exits 5 after SIGTERM (got $ppp_rc)" [ "$ppp_rc" = 5 ]
[ "$failed" = "$f0" ] || {
    show "$rec"; show "$out/$sc.ppp0"; show "$out/$sc.routes"; show "$out/$sc.client.log"
}

# An IPv4-only server rejects IPv6CP: IPv4 comes up as before, and no
# IPv6 is reported.  (Debian's pppd 2.4.9 negotiates IPv6CP unless told
# "noipv6": the server here must say so to be IPv4-only.)
sc=ipv6-refused
echo "# --- $sc"
f0=$failed
start_double "$sc" --password "$pass"
start_pppd "$sc" "require-pap noipv6" +ipv6 ipv6cp-accept-local
wait_for "$rec" '^SetIp4Config' 40
sleep 1
kill -TERM "$ppp_pid" 2>/dev/null
wait_exit 20
sleep 0.5
stop_double
echo "# $sc: SetIp4Config after $(ms_to "$times" SetIp4Config) ms"
check "$sc: SetIp4Config" has_re "$rec" "^SetIp4Config .*address=$cli_addr( |$)"
check "$sc: no SetIp6Config" not has_re "$rec" '^SetIp6Config'
check "$sc: the server rejected IPv6CP" grep -qE 'rcvd \[LCP ProtRej id=0x[0-9a-f]+ 80 57' "$out/$sc.client.log"
check "$sc: pppd exits 5 after SIGTERM (got $ppp_rc)" [ "$ppp_rc" = 5 ]
[ "$failed" = "$f0" ] || { show "$rec"; show "$out/$sc.client.log"; }

# The service answers NeedSecrets with an error: pppd must stop with
# EXIT_FATAL_ERROR and a logged reason, not send an empty password that
# would look like a wrong one.
sc=secrets-error
echo "# --- $sc"
f0=$failed
start_double "$sc" --secrets-error
start_pppd "$sc" "require-pap"
wait_exit 60
stop_double
check "$sc: pppd exits 1 (got $ppp_rc)" [ "$ppp_rc" = 1 ]
check "$sc: no SetAuthResult (no credentials were given)" not has_re "$rec" '^SetAuthResult'
check "$sc: SetExitStatus 1" has "$rec" "SetExitStatus 1"
check "$sc: the reason is logged" grep -q "nm-l2tp: NeedSecrets to .* failed" "$out/$sc.client.log"
[ "$failed" = "$f0" ] || { show "$rec"; show "$out/$sc.client.log"; }

# No service on the bus, or no bus: pppd gives up, with a clear message,
# before it says anything to the peer.  The bus connection is made while
# the channel is set up, so the pty channel may start the server first;
# the server must then not receive a single LCP packet.
for sc in no-service no-bus; do
    echo "# --- $sc"
    f0=$failed
    if [ "$sc" = no-bus ]; then
        start_pppd "$sc" "require-pap" nm-l2tp-bus-address "unix:path=$state/no-such-bus"
        why="nm-l2tp: cannot connect to the D-Bus address"
    else
        start_pppd "$sc" "require-pap"
        why="nm-l2tp: SetState to $bus_name failed"
    fi
    wait_exit 30
    check "$sc: pppd exits 1 (got $ppp_rc)" [ "$ppp_rc" = 1 ]
    check "$sc: the reason is logged" grep -qF "$why" "$out/$sc.client.log"
    check "$sc: pppd gave up" grep -qF "nm-l2tp: cannot reach nm-l2tp-service" "$out/$sc.client.log"
    check "$sc: the peer received nothing" not grep -qF "rcvd [LCP" "$out/$sc.server.log"
    check "$sc: pppd sent nothing" not grep -qF "sent [LCP" "$out/$sc.client.log"
    [ "$failed" = "$f0" ] || show "$out/$sc.client.log"
done

echo "1..$n"
[ "$failed" = 0 ]
