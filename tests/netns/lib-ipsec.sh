# SPDX-License-Identifier: GPL-2.0-or-later
# Shared by run-ipsec-tests and bench-ipsec: network namespaces with real
# charon peers.  Sourced, not run.  Needs root, iproute2, nftables and
# strongSwan (charon, swanctl).
#
# Topology (all on this host's kernel):
#   $NS_C  client: 192.0.2.18, 192.0.2.34, 192.0.2.50 - runs our code
#   $NS_S1 server 1: 192.0.2.17 - charon
#   $NS_S2 server 2: 192.0.2.33 - charon (two connections at once)
#   $NS_X  silent:   192.0.2.49 - drops UDP 500/4500 (nobody answers)
#   $NS_N  NAT:      192.0.2.65 towards the client, 192.0.2.82 towards
#                    server 1 (192.0.2.81), masquerading (NAT-T)
#
# Each charon we start for the tests runs in its own mount namespace with
# a tmpfs on /run (the stock charon's pid file is /run/charon.pid), its
# config, VICI socket and log in a directory under $T.

CHARON=${CHARON:-/usr/lib/ipsec/charon}
SERVER_PLUGINS="random nonce aes sha1 sha2 md5 hmac gmp openssl kdf pem pkcs1 x509 pubkey kernel-netlink socket-default vici"

die() { echo "Bail out! $*"; exit 1; }

require_env() {
    [ "$(id -u)" = 0 ] || die "needs root (network namespaces)"
    [ -x "$CHARON" ] || die "no charon at $CHARON"
    command -v swanctl >/dev/null || die "no swanctl"
    command -v nft >/dev/null || die "no nft"
    [ -x "$DRIVER" ] || die "no test driver at $DRIVER (build first)"
    [ -x "$VICI_CALL" ] || die "no nm-l2tp-vici-call at $VICI_CALL (build first)"
}

netns_setup() {
    T=$(mktemp -d /tmp/nm-l2tp-netns.XXXXXX)
    NS_C=l2c$$ NS_S1=l2s1$$ NS_S2=l2s2$$ NS_X=l2x$$ NS_N=l2n$$
    for ns in $NS_C $NS_S1 $NS_S2 $NS_X $NS_N; do
        ip netns add $ns || die "ip netns add $ns"
        ip -n $ns link set lo up
    done
    i=1
    for ns in $NS_S1 $NS_S2 $NS_X $NS_N; do
        ip link add c$i$$ type veth peer name s$i$$
        ip link set c$i$$ netns $NS_C
        ip link set s$i$$ netns $ns
        ip -n $NS_C addr add 192.0.2.$((16 * i + 2))/28 dev c$i$$
        ip -n $ns addr add 192.0.2.$((16 * i + 1))/28 dev s$i$$
        ip -n $NS_C link set c$i$$ up
        ip -n $ns link set s$i$$ up
        i=$((i + 1))
    done
    # server 1 also sits behind the NAT namespace
    ip link add n5$$ type veth peer name s5$$
    ip link set n5$$ netns $NS_N
    ip link set s5$$ netns $NS_S1
    ip -n $NS_N addr add 192.0.2.82/28 dev n5$$
    ip -n $NS_S1 addr add 192.0.2.81/28 dev s5$$
    ip -n $NS_N link set n5$$ up
    ip -n $NS_S1 link set s5$$ up
    ip -n $NS_C route add 192.0.2.80/28 via 192.0.2.65
    ip netns exec $NS_N sysctl -qw net.ipv4.ip_forward=1
    ip netns exec $NS_N nft -f - <<EOF || die "nft nat"
table ip nat {
    chain postrouting {
        type nat hook postrouting priority 100; policy accept;
        oifname "n5$$" masquerade
    }
}
EOF
    ip netns exec $NS_X nft -f - <<EOF || die "nft"
table inet blackhole {
    chain input {
        type filter hook input priority 0; policy accept;
        udp dport { 500, 4500 } drop
    }
}
EOF
    KNOWN_PIDS=""
}

netns_cleanup() {
    for d in "$T"/charon-*; do
        [ -f "$d/pid" ] && kill "$(cat "$d/pid")" 2>/dev/null
    done
    sleep 0.3
    for ns in $NS_C $NS_S1 $NS_S2 $NS_X $NS_N; do
        ip netns pids $ns 2>/dev/null | xargs -r kill -9 2>/dev/null
        ip netns del $ns 2>/dev/null
    done
    [ -n "${KEEP:-}" ] || rm -rf "$T"
}

# start_charon NAME NS: a charon in namespace NS, state in $T/charon-NAME.
start_charon() {
    local dir="$T/charon-$1" ns=$2 i
    mkdir -p "$dir"
    cat >"$dir/strongswan.conf" <<EOF
charon {
    load_modular = no
    load = $SERVER_PLUGINS
    # the tests and the benchmark leave many half-open SAs behind (e.g. 5
    # PSK mismatches in a row); the default limit of 5 per peer would make
    # the server ignore us
    block_threshold = 1000
    plugins {
        vici {
            socket = unix://$dir/charon.vici
        }
    }
    filelog {
        test {
            path = $dir/charon.log
            default = 1
            ike = 2
            knl = 2
            time_format = %T
        }
    }
}
EOF
    STRONGSWAN_CONF="$dir/strongswan.conf" ip netns exec $ns \
        unshare -m --propagation private sh -c "mount -t tmpfs tmpfs /run && exec $CHARON" \
        >"$dir/stdout" 2>&1 &
    echo $! >"$dir/pid"
    KNOWN_PIDS="$KNOWN_PIDS $!"
    for i in $(seq 100); do
        "$VICI_CALL" "$dir/charon.vici" version >/dev/null 2>&1 && return 0
        sleep 0.05
    done
    die "charon $1 did not start"
}

stop_charon() {
    local dir="$T/charon-$1" pid
    pid=$(cat "$dir/pid")
    kill "$pid" 2>/dev/null
    while kill -0 "$pid" 2>/dev/null; do sleep 0.05; done
    KNOWN_PIDS=$(echo "$KNOWN_PIDS" | sed "s/\b$pid\b//")
}

# server_conf NAME ADDR IKE ESP PSK [REMOTE_TS]: (re)loads the L2TP server
# connection of charon NAME; everything else it had is unloaded.
server_conf() {
    local dir="$T/charon-$1" addr=$2 ike=$3 esp=$4 psk=$5 rts=${6:-dynamic[udp]}
    cat >"$dir/swanctl.conf" <<EOF
connections {
    l2tp {
        version = 1
        proposals = $ike
        local_addrs = $addr
        local { auth = psk }
        remote { auth = psk }
        children {
            l2tp {
                mode = transport
                local_ts = dynamic[udp/1701]
                remote_ts = $rts
                esp_proposals = $esp
            }
        }
    }
}
secrets {
    ike-l2tp { secret = "$psk" }
}
EOF
    swanctl --load-all --noprompt --file "$dir/swanctl.conf" --uri "unix://$dir/charon.vici" \
        >"$dir/load.out" 2>&1 || die "swanctl --load-all for $1: $(tail -1 "$dir/load.out")"
}

# drive OUT [driver args...]: runs the driver in the client namespace with
# the PSK from $PSK on stdin; its output goes to OUT, charon's lines to
# OUT.log.
drive() {
    local out=$1
    shift
    printf 'ipsec-psk=%s\n' "$PSK" | ip netns exec $NS_C "$DRIVER" -v "$@" >"$out" 2>"$out.log"
}

field() { sed -n "s/^$2=//p" "$1" | head -1; }

# PIDs of charon processes of ours left behind: not started by this
# script, working directory under $T (private charons run in their run
# directory).  Charons of other users of this machine are not ours.
stray_charons() {
    local p cwd
    for p in $(pgrep -x charon); do
        case " $KNOWN_PIDS " in *" $p "*) continue ;; esac
        cwd=$(readlink "/proc/$p/cwd" 2>/dev/null) || continue
        case "$cwd" in "$T"/*) echo "$p" ;; esac
    done
}
