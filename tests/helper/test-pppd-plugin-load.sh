#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Does pppd really load helper/nm-l2tp-pppd-plugin.so and parse its options?
#
#   test-pppd-plugin-load.sh PLUGIN.so [PPPD]
#
# pppd 2.4.9 parses every option (including "plugin" and the options a
# plugin adds) before it opens /dev/ppp.  On a host without the ppp module
# it then stops with EXIT_NO_KERNEL_SUPPORT (4); where /dev/ppp works (the
# lab VM) "dryrun" makes it print the parsed options and exit 0.  Both are
# accepted, each with what it must show.  Bad option values must end pppd
# with EXIT_OPTION_ERROR (2) and the plugin's own message.
# Prints TAP.  Needs root (plugin loading is a privileged option): skips
# (77) otherwise.
set -u
plugin=${1:?usage: $0 PLUGIN.so [PPPD]}
pppd=${2:-$(command -v pppd || echo /usr/sbin/pppd)}

if [ "$(id -u)" != 0 ]; then
    echo "1..0 # SKIP pppd only loads plugins for root"
    exit 77
fi
if [ ! -x "$pppd" ]; then
    echo "1..0 # SKIP no pppd ($pppd)"
    exit 77
fi
[ -f "$plugin" ] || { echo "Bail out! no plugin at $plugin"; exit 99; }

n=0
failed=0
ok() { n=$((n + 1)); echo "ok $n - $1"; }
skip() { n=$((n + 1)); echo "ok $n # SKIP $1"; }
not_ok() {
    n=$((n + 1)); failed=$((failed + 1))
    echo "not ok $n - $1"
    sed 's/^/#   /' <<<"$out"
}

# run ARGS...: pppd with the plugin, no system options beyond /etc/ppp/options
# (file /dev/null adds none), a pty running /bin/true as the "device" so
# that no terminal is needed, and a working directory of its own.
run() {
    out=$(cd / && timeout 20 "$pppd" plugin "$plugin" "$@" \
        nodetach noauth file /dev/null pty /bin/true 2>&1)
    rc=$?
}

expect_contains() { # DESCRIPTION TEXT
    if grep -qF -- "$2" <<<"$out"; then ok "$1"; else not_ok "$1 (want: $2)"; fi
}
expect_rc() { # DESCRIPTION RC
    if [ "$rc" = "$2" ]; then ok "$1"; else not_ok "$1 (exit $rc, want $2)"; fi
}

# 1. The valid options are accepted; whatever stops pppd comes after them.
run nm-l2tp-service org.freedesktop.NetworkManager.l2tp.test \
    nm-l2tp-bus-address unix:path=/nonexistent/bus dryrun dump
expect_contains "pppd loads the plugin" "Plugin $plugin loaded."
expect_contains "plugin_init runs" "nm-l2tp: plugin initialized"
case "$rc" in
0)
    # dump/dryrun print the options with their values: ours are there.
    expect_contains "dryrun shows the service option" \
        "nm-l2tp-service org.freedesktop.NetworkManager.l2tp.test"
    expect_contains "dryrun shows the bus address option" \
        "nm-l2tp-bus-address unix:path=/nonexistent/bus"
    if grep -q "nm-l2tp: connected\|cannot connect" <<<"$out"; then
        not_ok "dryrun does not touch D-Bus"
    else
        ok "dryrun does not touch D-Bus"
    fi
    ;;
4)
    expect_contains "without kernel PPP, pppd fails after parsing, and says why" "/dev/ppp"
    skip "dryrun output (needs /dev/ppp; run tests/vm/ppp-plugin-test.sh)"
    skip "dryrun does not touch D-Bus (needs /dev/ppp)"
    ;;
*)
    not_ok "valid options parsed (exit $rc, want 0 or 4)"
    skip "dryrun output"
    ;;
esac

# 2. The option belongs to the plugin: without it pppd does not know it.
out=$(cd / && timeout 20 "$pppd" nm-l2tp-service org.example.Test dryrun \
    nodetach noauth file /dev/null pty /bin/true 2>&1)
rc=$?
expect_rc "without the plugin the option is unknown" 2
expect_contains "... and pppd says so" "nm-l2tp-service"

# 3. Bad values fail the options parse with our message.
run nm-l2tp-service :1.42 dryrun
expect_rc "a unique name is refused" 2
expect_contains "... with a clear message" "is not a well-known D-Bus bus name"

run nm-l2tp-service "bad..name" dryrun
expect_rc "an invalid bus name is refused" 2

run nm-l2tp-service org.example.Test nm-l2tp-bus-address not-an-address dryrun
expect_rc "an invalid bus address is refused" 2
expect_contains "... with a clear message" "is not a usable D-Bus address"

run nm-l2tp-service
expect_rc "a missing argument is refused" 2

# 4. pppd's version check passed: pppd would have refused the plugin with
#    "Plugin ... is for pppd version ..." otherwise.
run nm-l2tp-service org.example.Test dryrun
if grep -q "is for pppd version" <<<"$out"; then
    not_ok "pppd_version matches the running pppd"
else
    ok "pppd_version matches the running pppd"
fi

echo "1..$n"
[ "$failed" = 0 ]
