# shellcheck shell=bash
# lab-lib.sh: test hosts of the VM lab, sourced by lab-scenario and friends
# inside the VM (bash, as root, on the throw-away overlay root).
#
# The network, all from documentation ranges:
#
#   client (the VM's root netns: NetworkManager and the VPN plugin)
#     lab0 192.0.2.2/24, gateway 192.0.2.1
#        |  veth
#   netns "rtr": rtr0 192.0.2.1/24 -- forwards -- br0 198.51.100.254/24
#        |  (optionally masquerades towards br0: the "nat" profile)
#        +-- netns srv1: eth0 198.51.100.1/24  PPP 203.0.113.1,  clients .10-.19
#        +-- netns srv2: eth0 198.51.100.2/24  PPP 203.0.113.129, clients .140-.149
#
# Each server runs its own charon (swanctl, IKEv1 PSK, transport mode for
# udp/1701), xl2tpd as LNS and pppd.  ip netns exec bind-mounts
# /etc/netns/NAME/* over /etc, which gives each server its own
# strongswan.conf, swanctl/, xl2tpd/ and ppp/; a bind mount of /lab/NAME/run
# over /run gives it its own pid files and sockets (charon refuses to start
# while another charon's pid file exists under /run).

LAB_DIR=${LAB_DIR:-$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)}
LAB_STATE=/lab                     # per-boot state (overlay, not shared)
LAB_OUT=${LAB_OUT:-/lab-out}       # brought back to the host
LAB_PSK1="lab-psk-one-7Qx"         # test fixtures, not secrets
LAB_PEER_DNS=203.0.113.53          # the DNS server the "dns" server profile hands out
LAB_OFFICE_NET=203.0.113.64/27     # the "routes" profile's network behind the server
LAB_OFFICE_HOST=203.0.113.65       # ... and its address there
LAB_OFFICE_DOMAIN=office.example.com
LAB_V6_PREFIX=2001:db8:10::        # the "ipv6" profile's prefix on the PPP link (/64)
LAB_V6_SERVER=2001:db8:10::1
LAB_ROOT_KEY=/lab/root-only.key   # a private key only root may read
LAB_PSK2="lab-psk-two-Kp4"
LAB_USER="labuser"
LAB_PASS="labpass-9w"
LAB_CLIENT_ADDR=192.0.2.2
LAB_RTR_LAN=192.0.2.1
LAB_RTR_WAN=198.51.100.254

# charon's start-up dominates under TCG; this plugin list (no modular
# loading) brings it from ~24 s down to ~1.5 s.  3DES (the Meraki-like
# profile) comes from openssl; stroke: the starter-driven client charon.
LAB_CHARON_PLUGINS="random nonce aes sha1 sha2 md5 hmac gmp openssl pem pkcs1 x509 pubkey kernel-netlink socket-default"

lab_log() { echo "lab: $*" >&2; }
lab_die() { echo "lab: FATAL: $*" >&2; exit 1; }

# Wait up to $1 tenths of a second for a command to succeed.
lab_wait() {
    local n=$1; shift
    while [ "$n" -gt 0 ]; do
        "$@" >/dev/null 2>&1 && return 0
        sleep 0.1; n=$((n - 1))
    done
    return 1
}

lab_modules() {
    # Loaded up front: modprobe on demand from inside a namespace works too,
    # but a missing module should fail here, loudly.
    local m
    [ -e /run/lab-modules-loaded ] && return 0
    for m in veth bridge l2tp_ppp l2tp_netlink ppp_generic ppp_async ppp_synctty \
             esp4 xfrm_user xfrm4_tunnel authenc echainiv des_generic \
             nf_tables nft_xfrm nft_masq nft_nat nft_chain_nat; do
        modprobe "$m" || lab_die "modprobe $m failed"
    done
    : >/run/lab-modules-loaded
}

# --- the network -----------------------------------------------------------
lab_net_base() {
    ip netns list | grep -qw rtr && return 0
    ip netns add rtr
    ip -n rtr link set lo up
    ip link add lab0 type veth peer name rtr0 netns rtr
    ip -n rtr addr add "$LAB_RTR_LAN/24" dev rtr0
    ip -n rtr link set rtr0 up
    ip -n rtr link add br0 type bridge
    ip -n rtr addr add "$LAB_RTR_WAN/24" dev br0
    ip -n rtr link set br0 up
    ip netns exec rtr sysctl -qw net.ipv4.ip_forward=1
    # lab0 itself is left to NetworkManager (the static profile lab-lan).
}

# lab_nat on|off: masquerade the client behind the router's WAN address, so
# that IKE sees a NAT and moves to UDP 4500 (NAT-T).
lab_nat() {
    ip netns exec rtr nft delete table ip labnat 2>/dev/null
    [ "$1" = on ] || return 0
    ip netns exec rtr nft -f - <<'EOF'
table ip labnat {
    chain post {
        type nat hook postrouting priority srcnat; policy accept;
        oifname "br0" masquerade
    }
}
EOF
}

# --- the servers ------------------------------------------------------------
# Run a command in server NAME's netns with its private /etc and /run.
lab_srv_exec() {
    local name=$1; shift
    ip netns exec "$name" sh -c 'mount --bind "$0" /run && exec "$@"' \
        "$LAB_STATE/$name/run" "$@"
}

# lab_eaptls_pki: certificates for EAP-TLS in PPP, made at run time in
# LAB_PKI (once per boot) with openssl.  The lab CA signs the server's
# certificate (CN labsrv, the server pppd's name) and the user's (CN
# LAB_USER: a pppd server matches the EAP identity against the CN).  A
# second, unrelated CA signs another certificate for the same user, which
# the server must refuse; "user-locked.key" is the user's key encrypted
# with LAB_CERTPASS (a fixture, not a secret; it goes to openssl through a
# file descriptor all the same).
LAB_PKI=$LAB_STATE/pki
LAB_CERTPASS="lab-certpass-3Zv"
lab_eaptls_pki() {
    local d=$LAB_PKI
    [ -f "$d/done" ] && return 0
    rm -rf "$d"; mkdir -p "$d"
    # lab_eaptls_cert NAME CN [CA]: NAME.key and NAME.crt, self-signed (a
    # CA) without CA, else signed by CA.
    # (No process substitution: the VM has no /dev/fd.)
    printf 'basicConstraints=CA:FALSE\nkeyUsage=critical,digitalSignature\n' >"$d/leaf.ext"
    lab_eaptls_cert() {
        local name=$1 cn=$2 ca=${3:-}
        openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$d/$name.key" || return 1
        if [ -z "$ca" ]; then
            openssl req -x509 -new -key "$d/$name.key" -subj "/O=nm-l2tp lab/CN=$cn" -days 30 \
                -addext basicConstraints=critical,CA:TRUE -addext keyUsage=critical,keyCertSign,cRLSign \
                -out "$d/$name.crt"
        else
            openssl req -new -key "$d/$name.key" -subj "/O=nm-l2tp lab/CN=$cn" -out "$d/$name.csr" &&
            openssl x509 -req -in "$d/$name.csr" -CA "$d/$ca.crt" -CAkey "$d/$ca.key" -CAcreateserial \
                -days 30 -extfile "$d/leaf.ext" -out "$d/$name.crt"
        fi
    }
    lab_eaptls_cert ca "nm-l2tp lab CA" &&
    lab_eaptls_cert server labsrv ca &&
    lab_eaptls_cert user "$LAB_USER" ca &&
    lab_eaptls_cert rogue-ca "some other CA" &&
    lab_eaptls_cert rogue-user "$LAB_USER" rogue-ca &&
    openssl pkey -in "$d/user.key" -aes256 -passout fd:3 -out "$d/user-locked.key" 3<<<"$LAB_CERTPASS" ||
        { lab_log "could not make the EAP-TLS certificates"; return 1; }
    grep -q ENCRYPTED "$d/user-locked.key" || { lab_log "user-locked.key is not encrypted"; return 1; }
    chmod 600 "$d"/*.key
    touch "$d/done"
}

# The servers a case may name (tests/vm/cases.ini; `lab-cases check`
# holds the table to these lists, lab_server refuses anything else).
# Profiles: what the server accepts.  "default" takes several IKE/ESP suites
# and MS-CHAPv2 or CHAP; meraki and aes256 take one suite; mschapv2, pap
# and eap-tls one PPP method; dns also hands out a DNS server; no-l2tp runs
# IPsec only; stopccn refuses the client with a StopCCN.  (NAT and a dying
# server are properties of the path and of time: lab_nat, lab_server_kill.)
LAB_SERVER_PROFILES="default meraki aes256 mschapv2 pap dns eap-tls no-l2tp stopccn routes ipv6 ppp-slow rekeying expiring"
# Implementations: strongswan = charon (swanctl) + xl2tpd + pppd;
# libreswan = pluto (configured as popular setup scripts do) + xl2tpd +
# pppd; l2tpns = charon + l2tpns (its own L2TP and PPP) + freeradius.
LAB_SERVER_IMPLS="strongswan libreswan l2tpns"
# Network namespaces: srvINDEX at 198.51.100.INDEX.
LAB_SERVER_NAMES="srv1 srv2"

# lab_server NAME INDEX PROFILE [IMPL]: start server NAME at
# 198.51.100.INDEX, of implementation IMPL (default strongswan).
lab_server() {
    local name=$1 idx=$2 profile=$3 impl=${4:-strongswan}
    local addr=198.51.100.$idx psk ppp_local range
    local dir=$LAB_STATE/$name etc=/etc/netns/$name
    case " $LAB_SERVER_PROFILES " in *" $profile "*) ;; *) lab_log "unknown server profile '$profile'"; return 1 ;; esac
    case "$impl" in
    strongswan|libreswan|l2tpns) ;;
    *) lab_log "unknown server implementation '$impl'"; return 1 ;;
    esac
    case "$idx" in
    1) psk=$LAB_PSK1; ppp_local=203.0.113.1; range=203.0.113.10-203.0.113.19 ;;
    2) psk=$LAB_PSK2; ppp_local=203.0.113.129; range=203.0.113.140-203.0.113.149 ;;
    *) lab_die "server index must be 1 or 2" ;;
    esac
    lab_server_stop "$name"
    rm -rf "$dir" "$etc"
    mkdir -p "$dir/run/xl2tpd" "$etc/swanctl" "$etc/xl2tpd" "$etc/ppp"
    echo "$profile" >"$dir/profile"
    echo "$addr" >"$dir/addr"
    echo "$ppp_local" >"$dir/ppp_local"
    echo "$impl" >"$dir/impl"

    ip netns add "$name"
    ip -n "$name" link set lo up
    ip link add "v$name" netns rtr type veth peer name eth0 netns "$name"
    ip -n rtr link set "v$name" master br0 up
    ip -n "$name" addr add "$addr/24" dev eth0
    ip -n "$name" link set eth0 up
    ip -n "$name" route add default via "$LAB_RTR_WAN"

    # Proposals: "default" accepts what common clients offer; the others
    # accept exactly one suite, as picky real-world servers do.
    local ike esp
    case "$profile" in
    meraki) ike=3des-sha1-modp1024; esp=3des-sha1 ;;
    aes256) ike=aes256-sha256-modp2048; esp=aes256-sha256 ;;
    *) ike=aes256-sha256-modp2048,aes256-sha1-modp2048,aes128-sha1-modp2048,aes256-sha1-modp1024,aes128-sha1-modp1024,3des-sha1-modp1024
       esp=aes256-sha1,aes128-sha1,3des-sha1,aes256-sha256 ;;
    esac

    cat >"$etc/strongswan.conf" <<EOF
# lab server $name ($profile): only the plugins it needs (fast start)
charon {
    load_modular = no
    load = $LAB_CHARON_PLUGINS kdf vici
    port = 500
    port_nat_t = 4500
    filelog {
        srv {
            path = $dir/charon.log
            flush_line = yes
            time_format = %T
            default = 1
            ike = 2
            cfg = 2
            knl = 1
        }
    }
}
EOF
    # Lifetimes: the rekeying and expiring profiles (lab_swanctl_lifetimes).
    local ike_life="" child_life="" conn_v2=""
    lab_swanctl_lifetimes "$profile"
    cat >"$etc/swanctl/swanctl.conf" <<EOF
connections {
$(lab_swanctl_conn l2tp 1 "$addr" "$ike" "$esp" "$ike_life" "$child_life")
$conn_v2
}
secrets {
    ike-lab {
        secret = "$psk"
    }
}
EOF
    chmod 600 "$etc/swanctl/swanctl.conf"

    # L2TP only through IPsec, as real servers do: without this rule a
    # client whose IPsec silently failed would still get PPP in clear text.
    ip netns exec "$name" nft -f - <<'EOF'
table inet labfw {
    chain input {
        type filter hook input priority filter; policy accept;
        udp dport 1701 meta ipsec missing counter drop
    }
}
EOF

    lab_server_ike_start "$name" "$profile" "$impl" "$addr" "$psk" || return 1

    if [ "$impl" = l2tpns ]; then
        lab_server_l2tpns "$name" "$profile" "$addr" "$ppp_local" "$range"
        return
    fi
    lab_server_ppp "$name" "$profile" "$ppp_local" "$range" "$addr" ||
        { lab_log "server $name: PPP setup failed"; return 1; }
    [ "$profile" = no-l2tp ] && return 0
    lab_server_l2tp_start "$name" || return 1
    case "$profile" in
    routes) lab_server_routes "$name" "$dir" ;;
    ipv6) lab_server_ipv6 "$name" "$dir" ;;
    esac
}

# lab_server_l2tp_start NAME: the server's xl2tpd, or l2tpns (again, after
# a restart).
lab_server_l2tp_start() {
    local name=$1 dir=$LAB_STATE/$1
    if [ "$(lab_server_impl "$name")" = l2tpns ]; then
        local masters
        masters=$(grep -c 'declaring myself the master' "$dir/l2tpns.log" 2>/dev/null)
        masters=${masters:-0}
        # In a session of its own: l2tpns ends with kill(0, SIGTERM), its
        # whole process group.
        lab_srv_exec "$name" setsid l2tpns -c /etc/l2tpns/startup-config >>"$dir/l2tpns.out" 2>&1 &
        echo $! >"$dir/l2tpns.pid"
        # It answers L2TP only once it has made itself the master of its
        # (one-node) cluster, after cluster_hb_timeout without a master.
        lab_wait 200 sh -c "[ \$(grep -c 'declaring myself the master' '$dir/l2tpns.log') -gt $masters ]" ||
            { lab_log "server $name: l2tpns did not start"; cat "$dir/l2tpns.out" "$dir/l2tpns.log" >&2; return 1; }
        # Routes to its address pool through tun0 (recreated at every
        # start): l2tpns adds none here, and the replies to a client's
        # pings left by the default route (seen in the lab: tun0 received
        # them, the routing table had no way back).
        local a
        for a in $(cat "/etc/netns/$name/l2tpns/ip_pool"); do
            ip -n "$name" route replace "$a/32" dev tun0
        done
        return 0
    fi
    rm -f "$dir/run/xl2tpd/l2tp-control"
    local pppd=/usr/sbin/pppd
    if [ "$(cat "$dir/profile" 2>/dev/null)" = ppp-slow ]; then
        # "ppp-slow": the server's pppd starts 20 s late, so that a client
        # stays in the PPP stage (its LCP requests unanswered) for seconds.
        # xl2tpd runs /usr/sbin/pppd; in this server's mount namespace
        # that is a wrapper.  (pppd's "init" option would be simpler, but
        # it is a tty option, refused with the pppol2tp plugin.)
        cp /usr/sbin/pppd "$dir/pppd.real"
        printf '#!/bin/sh\nsleep 20\nexec %s "$@"\n' "$dir/pppd.real" >"$dir/pppd-slow"
        chmod 755 "$dir/pppd-slow"
        pppd=$dir/pppd-slow
    fi
    lab_srv_exec "$name" sh -c '[ "$0" = /usr/sbin/pppd ] || mount --bind "$0" /usr/sbin/pppd; exec "$@"' \
        "$pppd" xl2tpd -D -c /etc/xl2tpd/xl2tpd.conf \
        -p /run/xl2tpd.pid -C /run/xl2tpd/l2tp-control >>"$dir/xl2tpd.log" 2>&1 &
    echo $! >"$dir/xl2tpd.pid"
    lab_wait 100 test -p "$dir/run/xl2tpd/l2tp-control" ||
        { lab_log "server $name: xl2tpd did not start"; return 1; }
    return 0
}

# lab_server_ike_start NAME PROFILE IMPL ADDR PSK: the server's IKE daemon
# (again, after a restart): charon with the swanctl.conf written above, or
# libreswan's pluto (lab_server_pluto).
lab_server_ike_start() {
    local name=$1 profile=$2 impl=$3 addr=$4 psk=$5 dir=$LAB_STATE/$1
    if [ "$impl" = libreswan ]; then
        lab_server_pluto "$name" "$profile" "$addr" "$psk"
        return
    fi
    rm -f "$dir/run/charon.vici"
    lab_srv_exec "$name" /usr/lib/ipsec/charon >>"$dir/charon.out" 2>&1 &
    echo $! >"$dir/charon.pid"
    lab_wait 300 test -S "$dir/run/charon.vici" ||
        { lab_log "server $name: charon did not open its VICI socket"; return 1; }
    lab_srv_exec "$name" swanctl --load-all --noprompt >"$dir/swanctl.out" 2>&1 ||
        { lab_log "server $name: swanctl --load-all failed"; cat "$dir/swanctl.out" >&2; return 1; }
}

# The "routes" profile: a network behind the server that only the tunnel
# reaches, and the answer Windows servers give to a DHCPINFORM over the PPP
# link (dnsmasq on ppp*): the route to that network as options 121 and
# 249, and the DNS domain (option 15).
lab_server_routes() {
    local name=$1 dir=$2
    ip -n "$name" link add office0 type dummy
    ip -n "$name" addr add "$LAB_OFFICE_HOST/${LAB_OFFICE_NET#*/}" dev office0
    ip -n "$name" link set office0 up
    lab_srv_exec "$name" dnsmasq --keep-in-foreground --conf-file=/dev/null --port=0 \
        --interface='ppp*' --bind-dynamic --dhcp-range=203.0.113.0,static,255.255.255.0 \
        --dhcp-option=121,$LAB_OFFICE_NET,203.0.113.1 --dhcp-option=249,$LAB_OFFICE_NET,203.0.113.1 \
        --dhcp-option=15,$LAB_OFFICE_DOMAIN --dhcp-leasefile="$dir/dnsmasq.leases" --user=root \
        --log-dhcp --log-facility="$dir/dnsmasq.log" >"$dir/dnsmasq.out" 2>&1 &
    echo $! >"$dir/dnsmasq.pid"
}

# The "ipv6" profile: pppd offers IPv6CP, the server gives its end of the
# link an address of LAB_V6_PREFIX, and radvd advertises the prefix on the
# PPP interfaces (the client gets an address by SLAAC).
lab_server_ipv6() {
    local name=$1 dir=$2 etc=/etc/netns/$1 i
    ip netns exec "$name" sysctl -qw net.ipv6.conf.all.forwarding=1
    : >"$dir/radvd.conf"
    for i in 0 1 2 3; do
        cat >>"$dir/radvd.conf" <<EOF
interface ppp$i {
    AdvSendAdvert on;
    IgnoreIfMissing on;
    MinRtrAdvInterval 3;
    MaxRtrAdvInterval 10;
    prefix ${LAB_V6_PREFIX}/64 {
        AdvOnLink on;
        AdvAutonomous on;
    };
};
EOF
    done
    lab_srv_exec "$name" radvd -n -C "$dir/radvd.conf" -p /run/radvd.pid -m logfile -l "$dir/radvd.log" \
        >"$dir/radvd.out" 2>&1 &
    echo $! >"$dir/radvd.pid"
}

# xl2tpd and pppd configuration of a server.
lab_server_ppp() {
    local name=$1 profile=$2 ppp_local=$3 range=$4 addr=$5
    local etc=/etc/netns/$name dir=$LAB_STATE/$name
    local access="access control = no" lnsacl=""
    if [ "$profile" = stopccn ]; then
        # Only a LAC that does not exist may connect: xl2tpd answers our
        # SCCRQ with a StopCCN ("No Authorization").
        access="access control = yes"
        lnsacl="lac = 198.51.100.200"
    fi
    cat >"$etc/xl2tpd/xl2tpd.conf" <<EOF
[global]
listen-addr = $addr
port = 1701
$access
debug tunnel = yes
debug state = yes
debug avp = no

[lns default]
$lnsacl
ip range = $range
local ip = $ppp_local
require authentication = yes
name = labsrv
ppp debug = yes
pppoptfile = /etc/ppp/options.xl2tpd
length bit = yes
EOF
    # pppd reads /etc/ppp/options first; keep it empty.
    : >"$etc/ppp/options"
    local methods
    case "$profile" in
    mschapv2) methods="require-mschap-v2
refuse-pap
refuse-chap
refuse-mschap
refuse-eap" ;;
    pap) methods="require-pap
refuse-chap
refuse-mschap
refuse-mschap-v2
refuse-eap" ;;
    # EAP only; pppd's server side starts EAP-TLS for an identity it finds
    # in /etc/ppp/eaptls-server (below) and checks the user's certificate
    # against the lab CA and its CN against the identity.
    eap-tls) methods="require-eap"
             lab_eaptls_pki || return 1 ;;
    # Naming the methods also keeps pppd from asking for EAP first (it does
    # when it only has "auth"); real L2TP servers ask for MS-CHAPv2.
    *) methods="require-mschap-v2
require-chap
refuse-eap" ;;
    esac
    # The "dns" profile also hands out a DNS server, as most servers do.
    [ "$profile" = dns ] && methods="$methods
ms-dns $LAB_PEER_DNS"
    # IPv4 only, as most L2TP servers are, except the "ipv6" profile:
    # Debian's pppd would offer IPv6CP by default, and the client now
    # accepts it (ipv6=auto).
    local ipv6=noipv6
    [ "$profile" = ipv6 ] && ipv6=+ipv6
    if [ "$profile" = ipv6 ]; then
        printf '#!/bin/sh\nip -6 addr add %s/64 dev "$1"\n' "$LAB_V6_SERVER" >"$etc/ppp/ipv6-up"
        chmod 755 "$etc/ppp/ipv6-up"
    fi
    cat >"$etc/ppp/options.xl2tpd" <<EOF
name labsrv
auth
$methods
noccp
nodefaultroute
noproxyarp
mtu 1400
mru 1400
$ipv6
lcp-echo-interval 5
lcp-echo-failure 3
debug
logfile $dir/pppd.log
EOF
    printf '# client server secret addresses\n"%s" * "%s" *\n' "$LAB_USER" "$LAB_PASS" >"$etc/ppp/chap-secrets"
    cp "$etc/ppp/chap-secrets" "$etc/ppp/pap-secrets"
    chmod 600 "$etc/ppp/chap-secrets" "$etc/ppp/pap-secrets"
    if [ "$profile" = eap-tls ]; then
        # pppd's server side prefers EAP MD5-Challenge for a peer it has a
        # CHAP secret for, and starts EAP-TLS only without one.
        : >"$etc/ppp/chap-secrets"
        # client server client-cert(- : any the CA signed) server-cert CA server-key addresses
        printf '* labsrv - %s %s %s *\n' "$LAB_PKI/server.crt" "$LAB_PKI/ca.crt" "$LAB_PKI/server.key" \
            >"$etc/ppp/eaptls-server"
        chmod 600 "$etc/ppp/eaptls-server"
    fi
}

# Pids of a server's daemons (they live in its netns).
lab_server_pids() {
    ip netns pids "$1" 2>/dev/null
}

# lab_server_kill NAME: the server goes away while clients are connected.
# pppd first (TERM: it still sends an LCP Terminate-Request), then xl2tpd
# and charon, then the cable is cut.
lab_server_kill() {
    local name=$1 p
    for p in $(lab_server_pids "$name"); do
        [ "$(cat "/proc/$p/comm" 2>/dev/null)" = pppd ] && kill -TERM "$p"
    done
    sleep 0.5
    for p in $(lab_server_pids "$name"); do kill -KILL "$p" 2>/dev/null; done
    ip -n rtr link del "v$name" 2>/dev/null
}

lab_server_stop() {
    local name=$1 p
    ip netns list | grep -qw "$name" || return 0
    for p in $(lab_server_pids "$name"); do kill -TERM "$p" 2>/dev/null; done
    sleep 0.2
    for p in $(lab_server_pids "$name"); do kill -KILL "$p" 2>/dev/null; done
    ip -n rtr link del "v$name" 2>/dev/null
    ip netns del "$name"
}

# Copy a server's logs to DIR.
lab_server_logs() {
    local name=$1 to=$2 f
    mkdir -p "$to"
    for f in charon.log charon.out swanctl.out xl2tpd.log pppd.log pluto.log pluto.out addconn.out \
             l2tpns.log l2tpns.out radius.log radius.out clear-l2tp.txt; do
        [ -f "$LAB_STATE/$name/$f" ] && cp "$LAB_STATE/$name/$f" "$to/$name-$f"
    done
    ip netns exec "$name" nft list ruleset >"$to/$name-nft.txt" 2>&1
}

# --- staying connected: servers that rekey, expire, restart, die -----------
# lab_swanctl_lifetimes PROFILE: sets ike_life, child_life (lines inside
# the charon server's IKEv1 connection and its child) and conn_v2 (the
# same connection for IKEv2 clients, ipsec-ikev2=yes) for the profiles
# that are about SA lifetimes, compressed from the 8 h / 1 h of Windows
# servers:
#   rekeying  the server rekeys on its own schedule, before the client
#             would: the ESP SA every 10-15 s, the IKE SA every 25-30 s
#             (IKEv1: a new ISAKMP SA by reauthentication, then the old one
#             is deleted; IKEv2: a rekey in place)
#   expiring  the server never rekeys and lets its ESP SA expire after
#             45 s (then deletes it).  charon cannot expire an IKE SA
#             without renewing it first, so with this implementation the
#             IKE SA lives on; libreswan (lab_server_pluto) expires both.
LAB_REKEY_ESP="rekey_time = 15s
                life_time = 25s
                rand_time = 5s"
LAB_REKEY_IKE_V1="reauth_time = 30s
        rand_time = 5s
        over_time = 30s"
LAB_REKEY_IKE_V2="rekey_time = 30s
        rand_time = 5s
        over_time = 30s"
LAB_EXPIRE_ESP="rekey_time = 0s
                life_time = 45s
                rand_time = 0s"
LAB_EXPIRE_IKE="rekey_time = 0s
        reauth_time = 0s"
# lab_swanctl_conn NAME VERSION ADDR IKE ESP IKE_LIFE CHILD_LIFE: a server
# connection for L2TP/IPsec with a PSK, in swanctl.conf's syntax.
lab_swanctl_conn() {
    cat <<EOF
    $1 {
        version = $2
        local_addrs = $3
        proposals = $4
        $6
        local {
            auth = psk
            id = $3
        }
        remote {
            auth = psk
        }
        children {
            l2tp {
                mode = transport
                local_ts = dynamic[udp/1701]
                remote_ts = dynamic[udp]
                esp_proposals = $5
                $7
            }
        }
    }
EOF
}
lab_swanctl_lifetimes() {
    local ike2
    case "$1" in
    rekeying) ike_life=$LAB_REKEY_IKE_V1; ike2=$LAB_REKEY_IKE_V2; child_life=$LAB_REKEY_ESP ;;
    expiring) ike_life=$LAB_EXPIRE_IKE; ike2=$LAB_EXPIRE_IKE; child_life=$LAB_EXPIRE_ESP ;;
    *) return 0 ;;
    esac
    conn_v2=$(lab_swanctl_conn l2tp-v2 2 "$addr" "$ike" "$esp" "$ike2" "$child_life")
}

# libreswan, unpacked by scripts/install-deps (it conflicts with
# strongSwan's packages): pluto, addconn and whack from there.
LAB_UNPACKED=${LAB_CACHE:-/var/cache/nm-l2tp-lab}/unpacked
LAB_LIBRESWAN=$LAB_UNPACKED/libreswan/usr/libexec/ipsec

# lab_server_pluto NAME PROFILE ADDR PSK: libreswan's pluto as the server's
# IKE daemon, in its netns with its own config, NSS db and run dir.  The
# connection is the one popular auto-setup scripts for L2TP/IPsec write
# (IKEv1 only, PSK, transport mode for udp/1701, ESP forced into UDP,
# rekey=no, 24 h lifetimes, DPD 30 s / 300 s); "expiring" shortens the
# lifetimes to 45 s (ESP) and 100 s (IKE), "rekeying" lets pluto rekey
# after 15 s and 30 s.  Both add the same connection for IKEv2.
lab_server_pluto() {
    local name=$1 profile=$2 addr=$3 psk=$4
    local dir=$LAB_STATE/$1 etc=/etc/netns/$1 life_ike=24h life_sa=24h rekey=no v2=no
    [ -x "$LAB_LIBRESWAN/pluto" ] ||
        { lab_log "no libreswan in $LAB_LIBRESWAN (run scripts/install-deps lab)"; return 1; }
    case "$profile" in
    default) ;;
    expiring) life_ike=100s; life_sa=45s; v2=yes ;;
    rekeying) life_ike=30s; life_sa=15s; rekey=yes; v2=yes ;;
    *) lab_log "server profile '$profile' is not made for libreswan"; return 1 ;;
    esac
    # pluto execs addconn from its compiled-in directory.
    [ -e /usr/libexec/ipsec ] || ln -s "$LAB_LIBRESWAN" /usr/libexec/ipsec
    mkdir -p "$dir/run/pluto" "$dir/nss"
    if [ ! -f "$dir/nss/cert9.db" ]; then
        certutil -N -d "sql:$dir/nss" --empty-password >"$dir/certutil.out" 2>&1 ||
            { lab_log "server $name: certutil -N failed"; return 1; }
    fi
    {
        cat <<EOF
# lab server $name ($profile): as auto-setup scripts for L2TP/IPsec write it
config setup
  ikev1-policy=accept
  virtual-private=%v4:192.0.2.0/24,%v4:198.51.100.0/24
  uniqueids=no

conn shared
  left=$addr
  leftid=$addr
  right=%any
  encapsulation=yes
  authby=secret
  pfs=no
  rekey=$rekey
  keyingtries=5
  dpddelay=30
  dpdtimeout=300
  dpdaction=clear
  ike=aes256-sha2;modp2048,aes128-sha2;modp2048,aes256-sha1;modp2048,aes128-sha1;modp2048
  phase2alg=aes_gcm-null,aes128-sha1,aes256-sha1,aes256-sha2_512,aes128-sha2,aes256-sha2
  ikelifetime=$life_ike
  salifetime=$life_sa
  sha2-truncbug=no
  leftupdown=%disabled

conn l2tp-psk
  auto=add
  ikev2=never
  leftprotoport=17/1701
  rightprotoport=17/%any
  type=transport
  also=shared
EOF
        [ "$v2" = yes ] && cat <<EOF

conn l2tp-psk-v2
  auto=add
  ikev2=yes
  encapsulation=auto
  leftprotoport=17/1701
  rightprotoport=17/%any
  type=transport
  also=shared
EOF
    } >"$etc/ipsec.conf"
    printf '%%any %%any : PSK "%s"\n' "$psk" >"$etc/ipsec.secrets"
    chmod 600 "$etc/ipsec.secrets"
    rm -f "$dir/run/pluto/pluto.ctl" "$dir/run/pluto/pluto.pid"
    lab_srv_exec "$name" "$LAB_LIBRESWAN/pluto" --nofork --config /etc/ipsec.conf \
        --secretsfile /etc/ipsec.secrets --nssdir "$dir/nss" --rundir /run/pluto \
        --logfile "$dir/pluto.log" >>"$dir/pluto.out" 2>&1 &
    echo $! >"$dir/pluto.pid"
    lab_wait 300 test -S "$dir/run/pluto/pluto.ctl" ||
        { lab_log "server $name: pluto did not open its control socket"; return 1; }
    lab_srv_exec "$name" "$LAB_LIBRESWAN/addconn" --config /etc/ipsec.conf \
        --ctlsocket /run/pluto/pluto.ctl --autoall >"$dir/addconn.out" 2>&1 &&
    lab_srv_exec "$name" "$LAB_LIBRESWAN/whack" --ctlsocket /run/pluto/pluto.ctl --listen \
        >>"$dir/addconn.out" 2>&1 ||
        { lab_log "server $name: loading pluto's connections failed"; cat "$dir/addconn.out" >&2; return 1; }
    ! grep 'failed to add connection' "$dir/pluto.log" >&2 ||
        { lab_log "server $name: pluto refused a connection"; return 1; }
}

# lab_server_l2tpns NAME PROFILE ADDR PPP_LOCAL RANGE: l2tpns as the LNS
# (its own L2TP and PPP on a tun device, every user checked through
# RADIUS by freeradius in the same netns).
lab_server_l2tpns() {
    local name=$1 profile=$2 addr=$3 ppp_local=$4 range=$5
    local dir=$LAB_STATE/$1 etc=/etc/netns/$1 a b i
    case "$profile" in
    default|rekeying|expiring) ;;
    *) lab_log "server profile '$profile' is not made for l2tpns"; return 1 ;;
    esac
    # The lab's user, once per boot, in the VM's (throw-away) freeradius
    # configuration; the stock localhost client's secret is testing123.
    local users=/etc/freeradius/3.0/mods-config/files/authorize
    grep -q "^$LAB_USER " "$users" ||
        { { printf '%s Cleartext-Password := "%s"\n\n' "$LAB_USER" "$LAB_PASS"; cat "$users"; } >"$users.new" &&
          mv "$users.new" "$users"; }
    # Its tun device; the lab kernel loads tun only on demand.
    modprobe tun || { lab_log "modprobe tun failed"; return 1; }
    mkdir -p "$dir/run/freeradius" "$etc/l2tpns"
    chown freerad:freerad "$dir/run/freeradius"
    lab_srv_exec "$name" freeradius -f -l "$dir/radius.log" >>"$dir/radius.out" 2>&1 &
    echo $! >"$dir/radius.pid"
    cat >"$etc/l2tpns/startup-config" <<EOF
set debug 3
set log_file "$dir/l2tpns.log"
set pid_file "/run/l2tpns.pid"
set bind_address $addr
set peer_address $ppp_local
set cluster_interface eth0
set cluster_hb_interval 2
set cluster_hb_timeout 10
set primary_radius 127.0.0.1
set radius_secret "testing123"
set radius_accounting no
set radius_authtypes "chap,pap"
set ppp_keepalive yes
set echo_timeout 5
set idle_echo_timeout 20
set cli_bind_address 127.0.0.1
EOF
    # The PPP address of the server's end, which clients ping: l2tpns only
    # hands it out (peer_address); the host must have it.
    ip -n "$name" addr add "$ppp_local/32" dev lo
    a=${range%-*}; b=${range#*-}
    for i in $(seq "${a##*.}" "${b##*.}"); do echo "${a%.*}.$i"; done >"$etc/l2tpns/ip_pool"
    : >"$etc/l2tpns/users"
    lab_wait 300 sh -c "ip netns exec $name ss -lun | grep -q ':1812 '" ||
        { lab_log "server $name: freeradius did not start"; return 1; }
    lab_server_l2tp_start "$name"
}

# lab_server_impl NAME: the implementation a server runs.
lab_server_impl() { cat "$LAB_STATE/$1/impl" 2>/dev/null || echo strongswan; }
lab_server_psk() { case "$1" in srv1) echo "$LAB_PSK1" ;; *) echo "$LAB_PSK2" ;; esac; }

# Pids of one of a server's daemons, by its command name.
lab_server_daemon_pids() {
    local name=$1 comm=$2 p
    for p in $(lab_server_pids "$name"); do
        [ "$(cat "/proc/$p/comm" 2>/dev/null)" = "$comm" ] && echo "$p"
    done
}
lab_server_l2tp_comm() { [ "$(lab_server_impl "$1")" = l2tpns ] && echo l2tpns || echo xl2tpd; }
lab_server_ike_comm() { [ "$(lab_server_impl "$1")" = libreswan ] && echo pluto || echo charon; }

# lab_server_stop_daemon NAME COMM: SIGTERM, as an administrator's restart
# does; SIGKILL after 10 s.
lab_server_stop_daemon() {
    local name=$1 comm=$2 p n=100
    for p in $(lab_server_daemon_pids "$name" "$comm"); do kill -TERM "$p"; done
    while [ -n "$(lab_server_daemon_pids "$name" "$comm")" ] && [ $n -gt 0 ]; do
        sleep 0.1; n=$((n - 1))
    done
    for p in $(lab_server_daemon_pids "$name" "$comm"); do kill -KILL "$p"; done
}
# lab_server_restart_ike NAME: the server's IKE daemon stops and starts
# again with the same configuration; what it had negotiated is gone.
lab_server_restart_ike() {
    local name=$1
    lab_server_stop_daemon "$name" "$(lab_server_ike_comm "$name")"
    lab_server_ike_start "$name" "$(cat "$LAB_STATE/$name/profile")" "$(lab_server_impl "$name")" \
        "$(cat "$LAB_STATE/$name/addr")" "$(lab_server_psk "$name")"
}
# lab_server_restart_l2tp NAME: the same for its L2TP daemon.
lab_server_restart_l2tp() {
    local name=$1
    lab_server_stop_daemon "$name" "$(lab_server_l2tp_comm "$name")"
    lab_server_l2tp_start "$name"
}

# lab_blackhole NAME on|off: the router drops everything to and from the
# server; neither end sees a carrier change (the path died upstream).
lab_blackhole() {
    local name=$1 addr
    addr=$(cat "$LAB_STATE/$name/addr")
    ip netns exec rtr nft delete table inet labhole 2>/dev/null
    [ "$2" = on ] || return 0
    ip netns exec rtr nft -f - <<EOF
table inet labhole {
    chain hole {
        type filter hook forward priority filter - 10; policy accept;
        ip saddr $addr drop
        ip daddr $addr drop
    }
}
EOF
}

# lab_capture_start NAME / lab_capture_count NAME: L2TP that reached the
# server in clear text (udp/1701, not inside ESP) over the whole case,
# captured on its interface, inbound (tcpdump sees the packets before the
# server's firewall drops them).  The count is of packets.
lab_capture_start() {
    local name=$1 dir=$LAB_STATE/$1
    rm -f "$dir/clear-l2tp.pcap"
    ip netns exec "$name" tcpdump -i eth0 -Q in -nn -U -w "$dir/clear-l2tp.pcap" \
        'udp port 1701' >"$dir/tcpdump.out" 2>&1 3>&- &
    echo $! >"$dir/tcpdump.pid"
    lab_wait 100 grep -q 'listening on' "$dir/tcpdump.out"
}
lab_capture_count() {
    local name=$1 dir=$LAB_STATE/$1 p
    p=$(cat "$dir/tcpdump.pid" 2>/dev/null) && kill -INT "$p" 2>/dev/null
    lab_wait 50 sh -c "! kill -0 $p"
    tcpdump -nn -r "$dir/clear-l2tp.pcap" 2>/dev/null | tee "$dir/clear-l2tp.txt" | wc -l
}

# --- the client ---------------------------------------------------------------
# The plugin under test: LAB_PLUGIN=reference (Debian's network-manager-l2tp),
# project (meson install of LAB_BUILD_DIR into the overlay) or deb (the
# packages in LAB_DEB_DIR, installed with apt into the overlay).
lab_plugin_install() {
    case "${LAB_PLUGIN:-reference}" in
    reference)
        [ -f /usr/lib/NetworkManager/VPN/nm-l2tp-service.name ] ||
            lab_die "LAB_PLUGIN=reference but network-manager-l2tp is not installed"
        ;;
    project)
        local build=${LAB_BUILD_DIR:-/work/main/build} f
        [ -f "$build/build.ninja" ] || lab_die "LAB_PLUGIN=project: no meson build in $build"
        # The reference's files would shadow ours (same .name file, same
        # D-Bus name): remove them from the overlay first.
        dpkg-query -L network-manager-l2tp 2>/dev/null | while read -r f; do
            case "$f" in /usr/share/doc/*|/usr/share/locale/*) continue ;; esac
            [ -f "$f" ] && rm -f "$f"
        done
        meson install -C "$build" --no-rebuild >"$LAB_OUT/meson-install.log" 2>&1 ||
            lab_die "meson install from $build failed (see meson-install.log)"
        [ -f /usr/lib/NetworkManager/VPN/nm-l2tp-service.name ] ||
            lab_die "the project's install did not provide /usr/lib/NetworkManager/VPN/nm-l2tp-service.name"
        ;;
    deb)
        # The packages as a user installs them: apt swaps Debian's
        # network-manager-l2tp(-gnome) for them (Conflicts/Replaces/Provides),
        # offline, inside the overlay.  A second call in the same boot
        # finds them installed.
        local dir=${LAB_DEB_DIR:-} debs
        debs=$(ls "$dir"/network-manager-l2tp-vpn_*.deb "$dir"/network-manager-l2tp-vpn-gnome_*.deb 2>/dev/null)
        [ -n "$dir" ] && [ -n "$debs" ] ||
            lab_die "LAB_PLUGIN=deb: no network-manager-l2tp-vpn*.deb in LAB_DEB_DIR (${dir:-unset})"
        dpkg-query -W -f '${Status}' network-manager-l2tp-vpn 2>/dev/null | grep -q ' installed$' && return 0
        # man-db's trigger would index every manual page over 9p first.
        rm -f /var/lib/man-db/auto-update
        # shellcheck disable=SC2086  # one word per file
        DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
            -o Dpkg::Use-Pty=0 $debs >"$LAB_OUT/apt-install.log" 2>&1 ||
            lab_die "apt-get install of the packages in $dir failed (see apt-install.log)"
        [ -f /usr/lib/NetworkManager/VPN/nm-l2tp-service.name ] ||
            lab_die "the packages did not provide /usr/lib/NetworkManager/VPN/nm-l2tp-service.name"
        ;;
    *) lab_die "LAB_PLUGIN must be reference, project or deb" ;;
    esac
}

# The client's strongswan.conf (the VM's /etc, i.e. the overlay): the
# reference plugin drives charon through starter/stroke.
lab_client_strongswan() {
    cat >/etc/strongswan.conf <<EOF
# lab client: only the plugins needed (fast start under TCG)
charon {
    load_modular = no
    load = $LAB_CHARON_PLUGINS stroke vici
    filelog {
        client {
            path = $LAB_STATE/client-charon.log
            append = yes
            flush_line = yes
            time_format = %T
            default = 1
            ike = 2
            cfg = 2
            knl = 1
        }
    }
}
starter {
    load_warning = no
}
EOF
}

lab_nm_running() { nmcli -t -f RUNNING general >/dev/null 2>&1; }

# Warm the page cache with the client stack's programs and libraries, and
# run starter/charon once.  Why: NetworkManager gives a VPN service's
# Connect() call a fixed 10 s D-Bus timeout, and the reference plugin does
# all of IPsec (ipsec restart with its 2 s sleep, IKE main and quick mode)
# inside that call.  Under TCG the first read of each binary over 9p costs
# seconds that a real machine would not pay; without this the very first
# connection of a boot can miss the 10 s.
lab_client_warmup() {
    local f
    for f in /usr/sbin/ipsec /usr/lib/ipsec/starter /usr/lib/ipsec/stroke \
             /usr/sbin/xl2tpd /usr/sbin/pppd /usr/lib/NetworkManager/nm-l2tp-service; do
        [ -f "$f" ] && cat "$f" >/dev/null
    done
    command -v ipsec >/dev/null || return 0
    ipsec start >/dev/null 2>&1
    lab_wait 100 test -S /run/charon.ctl
    ipsec stop >/dev/null 2>&1
    lab_wait 100 sh -c '! pidof charon starter'
    for f in $(lab_client_procs | sed 's/.*\[\(.*\)\]/\1/'); do kill -KILL "$f"; done
    rm -f /run/starter.* /run/charon.*
}

# Bring up the client side once per boot: D-Bus, udev, NetworkManager, and
# the static ethernet profile on lab0 (a VPN needs an active base).
lab_client_start() {
    lab_nm_running && return 0
    mkdir -p "$LAB_STATE"
    # A syslog sink: starter, the client's pppd and charon log to syslog;
    # without one their messages end up on the console (or nowhere).
    [ -S /dev/log ] || /bin/busybox syslogd -O "$LAB_STATE/syslog.log" 2>/dev/null ||
        lab_log "no syslogd: client pppd/starter messages will go to the console"
    lab_plugin_install
    lab_client_strongswan
    lab_client_warmup
    mkdir -p /run/dbus
    dbus-daemon --system --fork || lab_die "dbus-daemon failed"
    /lib/systemd/systemd-udevd --daemon 2>/dev/null ||
        systemd-udevd --daemon || lab_die "systemd-udevd failed"
    udevadm trigger --action=add
    udevadm settle --timeout=30

    # Dispatcher scripts of the host (ifupdown) only cost time here.
    rm -f /etc/NetworkManager/dispatcher.d/*-ifupdown
    mkdir -p /etc/NetworkManager/system-connections /etc/NetworkManager/conf.d
    rm -f /etc/NetworkManager/conf.d/* /etc/NetworkManager/system-connections/*
    cat >/etc/NetworkManager/NetworkManager.conf <<'EOF'
[main]
auth-polkit=false
plugins=keyfile
no-auto-default=*
dns=none

[logging]
level=INFO
domains=DEFAULT,VPN:DEBUG,VPN_PLUGIN:DEBUG
EOF
    cat >/etc/NetworkManager/system-connections/lab-lan.nmconnection <<EOF
[connection]
id=lab-lan
type=ethernet
interface-name=lab0
autoconnect=false

[ipv4]
method=manual
address1=$LAB_CLIENT_ADDR/24,$LAB_RTR_LAN

[ipv6]
method=disabled
EOF
    chmod 600 /etc/NetworkManager/system-connections/*
    NetworkManager --no-daemon --debug >"$LAB_OUT/NetworkManager.log" 2>&1 &
    echo $! >"$LAB_STATE/nm.pid"
    lab_wait 600 lab_nm_running || lab_die "NetworkManager did not come up"
    lab_wait 300 nmcli -t device show lab0 || lab_die "NetworkManager does not see lab0"
    nmcli connection up lab-lan >/dev/null || lab_die "could not activate lab-lan"
    lab_wait 100 ping -c1 -W1 "$LAB_RTR_LAN" || lab_die "lab0 cannot reach the router"
}

# lab_nm_restart: NetworkManager stops (SIGTERM) and starts again, its log
# going on in the same file.
lab_nm_restart() {
    local p
    p=$(cat "$LAB_STATE/nm.pid" 2>/dev/null)
    [ -n "$p" ] && kill -TERM "$p" 2>/dev/null
    lab_wait 300 sh -c "! kill -0 $p 2>/dev/null" || kill -KILL "$p" 2>/dev/null
    NetworkManager --no-daemon --debug >>"$LAB_OUT/NetworkManager.log" 2>&1 3>&- &
    echo $! >"$LAB_STATE/nm.pid"
    lab_wait 600 lab_nm_running || return 1
    lab_wait 300 nmcli -t device show lab0
}

# After a case that moved the client: its address back, lab0 up, and
# NetworkManager with the base connection active.
lab_client_base_reset() {
    ip link set lab0 up 2>/dev/null
    lab_nm_running || lab_nm_restart || lab_die "NetworkManager did not come back"
    if [ "$(nmcli -g ipv4.addresses connection show lab-lan 2>/dev/null)" != "$LAB_CLIENT_ADDR/24" ]; then
        nmcli connection modify lab-lan ipv4.addresses "$LAB_CLIENT_ADDR/24"
        nmcli device reapply lab0 >/dev/null 2>&1
    fi
    [ "$(nmcli -g GENERAL.STATE connection show lab-lan 2>/dev/null)" = activated ] ||
        nmcli connection up lab-lan >/dev/null 2>&1 || lab_die "could not activate lab-lan again"
    lab_wait 100 ping -c1 -W1 "$LAB_RTR_LAN" || lab_die "lab0 cannot reach the router"
}
lab_blackhole_clear() { ip netns exec rtr nft delete table inet labhole 2>/dev/null; return 0; }

# lab_vpn_profile ID GATEWAY PSK [--owner=USER] [--ip6-method=M] [key=value ...]: a VPN
# profile with its secrets stored by NetworkManager (flags 0), written as a
# keyfile so that no secret goes through a command line.  Extra key=value
# pairs go to [vpn]; "password=..." and "ipsec-psk=..." override the
# secrets, "user-certpass=..." adds that secret.  --owner=USER makes the
# profile private to USER (connection.permissions).
lab_vpn_profile() {
    local id=$1 gw=$2 psk=$3; shift 3
    local pass=$LAB_PASS kv extra="" secrets="" perms="" ip6=ignore
    for kv in "$@"; do
        case "$kv" in
        --owner=*) perms="permissions=user:${kv#--owner=};" ;;
        --ip6-method=*) ip6=${kv#--ip6-method=} ;;
        password=*) pass=${kv#password=} ;;
        ipsec-psk=*) psk=${kv#ipsec-psk=} ;;
        user-certpass=*) secrets="$secrets$kv"$'\n' ;;
        *) extra="$extra$kv"$'\n' ;;
        esac
    done
    local f=/etc/NetworkManager/system-connections/$id.nmconnection
    cat >"$f" <<EOF
[connection]
id=$id
uuid=$(cat /proc/sys/kernel/random/uuid)
type=vpn
autoconnect=false
$perms

[vpn]
service-type=org.freedesktop.NetworkManager.l2tp
gateway=$gw
user=$LAB_USER
password-flags=0
ipsec-enabled=yes
ipsec-psk-flags=0
$extra
[vpn-secrets]
password=$pass
ipsec-psk=$psk
$secrets
[ipv4]
method=auto
never-default=true

[ipv6]
method=$ip6
EOF
    chmod 600 "$f"
    nmcli connection load "$f" || lab_die "NetworkManager rejected profile $id"
}

lab_vpn_delete_all() {
    local u
    for u in $(nmcli -t -f UUID,TYPE connection show | awk -F: '$2 == "vpn" { print $1 }'); do
        nmcli connection delete "$u" >/dev/null 2>&1
    done
}

# Client-side processes of the VPN stack: those in the VM's root netns
# (server daemons of the same names live in other netns), zombies excluded.
lab_client_procs() {
    # Builtins only: under TCG every fork+exec costs ~40 ms, and this runs
    # in polling loops over all processes.
    local d comm stat
    for d in /proc/[0-9]*; do
        read -r comm <"$d/comm" 2>/dev/null || continue
        case "$comm" in charon|starter|xl2tpd|pppd|kl2tpd|pluto|nm-l2tp-servic*) ;; *) continue ;; esac
        [ "$d/ns/net" -ef /proc/1/ns/net ] || continue
        read -r stat <"$d/stat" 2>/dev/null || continue
        stat=${stat##*) }
        [ "${stat%% *}" = Z ] && continue
        echo "${comm}[${d#/proc/}]"
    done
}

# What a finished connection left behind on the client; empty when clean.
# nm-l2tp-service itself may linger briefly after a disconnect (NM stops it
# after a quit timeout), so it is not counted.
lab_client_leftovers() {
    local procs xfrm pol dirs
    procs=$(lab_client_procs | grep -v '^nm-l2tp' | tr '\n' ' ')
    xfrm=$(ip xfrm state | grep -c '^src')
    pol=$(ip xfrm policy | grep -c '^src')
    # The reference's /run/nm-l2tp-UUID, and the project's /run/nm-l2tp/UUID.PID/
    # (the project's report and log files beside them are meant to stay).
    dirs=$(ls -d /run/nm-l2tp-* /run/nm-l2tp/*/ 2>/dev/null | sort -u | tr '\n' ' ')
    [ -n "$procs" ] && printf 'procs: %s' "$procs"
    [ "$xfrm" -gt 0 ] && printf 'xfrm-states: %s ' "$xfrm"
    [ "$pol" -gt 0 ] && printf 'xfrm-policies: %s ' "$pol"
    [ -n "$dirs" ] && printf 'run-dirs: %s' "$dirs"
    return 0
}

# Make the client clean for the next case, whatever the last one left.
lab_client_reset() {
    local p
    for p in $(lab_client_procs | grep -v '^nm-l2tp' | sed 's/.*\[\(.*\)\]/\1/'); do
        kill -TERM "$p" 2>/dev/null
    done
    sleep 0.3
    for p in $(lab_client_procs | grep -v '^nm-l2tp' | sed 's/.*\[\(.*\)\]/\1/'); do
        kill -KILL "$p" 2>/dev/null
    done
    ip xfrm state flush; ip xfrm policy flush
    rm -rf /run/nm-l2tp-* /run/nm-l2tp/*/ /run/starter.* /run/charon.*
}
