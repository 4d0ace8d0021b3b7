#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""Test double of nm-l2tp-service's pppd-facing D-Bus object.

It owns a bus name on the bus given by --address, exports
/org/freedesktop/NetworkManager/l2tp/ppp with the interface of
data/org.freedesktop.NetworkManager.l2tp.ppp.xml, answers NeedSecrets with
the fixture credentials it was given, and records every call, one line
each, in --record:

    NeedSecrets
    NeedCertPassword
    SetState 5
    SetAuthResult pap true
    SetIp4Config address=203.0.113.10 dns=198.51.100.53,... iface=ppp0 ...
    SetIp6Config iface=ppp0 our-iid=0000000000000002 peer-iid=0000000000000001
    SetExitStatus 19

With --times FILE it also appends "SECONDS METHOD" per call there
(CLOCK_MONOTONIC), for figures such as the time from the first phase
change to SetIp4Config.

It is no part of the product: the real service is nm-plugin/.  Ends on
SIGTERM or SIGINT.  Prints READY on stdout once the name is owned.
"""

import argparse
import signal
import socket
import struct
import sys

import gi

gi.require_version("Gio", "2.0")
from gi.repository import Gio, GLib  # noqa: E402

PATH = "/org/freedesktop/NetworkManager/l2tp/ppp"


def addr(value):
    # The contract sends in_addr_t values (network byte order) as "u": the
    # integer's bytes in host order are the address bytes.
    return socket.inet_ntoa(struct.pack("=I", value))


def describe_ip4(config):
    parts = []
    for key in sorted(config):
        value = config[key]
        if key in ("address", "peer"):
            value = addr(value)
        elif key in ("dns", "wins"):
            value = ",".join(addr(v) for v in value)
        parts.append("%s=%s" % (key, value))
    return " ".join(parts)


def describe_ip6(config):
    parts = []
    for key in sorted(config):
        value = config[key]
        if isinstance(value, (bytes, bytearray)):
            value = bytes(value).hex()
        elif isinstance(value, list):
            value = bytes(value).hex()
        parts.append("%s=%s" % (key, value))
    return " ".join(parts)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--address", required=True, help="D-Bus address of the test bus")
    ap.add_argument("--name", required=True, help="bus name to own")
    ap.add_argument("--xml", required=True, help="the interface's introspection XML")
    ap.add_argument("--record", required=True, help="file the calls are appended to")
    ap.add_argument("--user", default="labuser")
    ap.add_argument("--password", default="")
    ap.add_argument("--cert-password", default="", help="NeedCertPassword's answer (EAP-TLS)")
    ap.add_argument("--times", help="file that gets a monotonic time stamp per call")
    ap.add_argument(
        "--secrets-error", action="store_true", help="answer NeedSecrets with a D-Bus error"
    )
    args = ap.parse_args()

    with open(args.xml, encoding="utf-8") as f:
        node = Gio.DBusNodeInfo.new_for_xml(f.read())
    iface = node.interfaces[0]
    record = open(args.record, "a", buffering=1, encoding="utf-8")
    times = open(args.times, "a", buffering=1, encoding="utf-8") if args.times else None
    loop = GLib.MainLoop()

    def on_call(conn, sender, path, iface_name, method, params, invocation):
        p = params.unpack()
        if times:
            times.write("%.6f %s\n" % (GLib.get_monotonic_time() / 1e6, method))
        if method == "NeedSecrets":
            # The password is a fixture; still, the record says only that
            # it was asked for.
            record.write("NeedSecrets\n")
            if args.secrets_error:
                invocation.return_dbus_error(
                    "org.freedesktop.NetworkManager.l2tp.Error", "no secrets (test double)"
                )
                return
            invocation.return_value(GLib.Variant("(ss)", (args.user, args.password)))
            return
        if method == "NeedCertPassword":
            record.write("NeedCertPassword\n")
            invocation.return_value(GLib.Variant("(s)", (args.cert_password,)))
            return
        if method == "SetState":
            record.write("SetState %d\n" % p[0])
        elif method == "SetAuthResult":
            record.write("SetAuthResult %s %s\n" % (p[0], "true" if p[1] else "false"))
        elif method == "SetIp4Config":
            record.write("SetIp4Config %s\n" % describe_ip4(p[0]))
        elif method == "SetIp6Config":
            record.write("SetIp6Config %s\n" % describe_ip6(p[0]))
        elif method == "SetExitStatus":
            record.write("SetExitStatus %d\n" % p[0])
        else:
            record.write("Unknown %s\n" % method)
        invocation.return_value(None)

    conn = Gio.DBusConnection.new_for_address_sync(
        args.address,
        Gio.DBusConnectionFlags.AUTHENTICATION_CLIENT
        | Gio.DBusConnectionFlags.MESSAGE_BUS_CONNECTION,
        None,
        None,
    )
    conn.register_object(PATH, iface, on_call, None, None)
    reply = conn.call_sync(
        "org.freedesktop.DBus",
        "/org/freedesktop/DBus",
        "org.freedesktop.DBus",
        "RequestName",
        GLib.Variant("(su)", (args.name, 4)),  # DO_NOT_QUEUE
        GLib.VariantType("(u)"),
        Gio.DBusCallFlags.NONE,
        5000,
        None,
    )
    if reply.unpack()[0] != 1:  # PRIMARY_OWNER
        print("double: could not own %s" % args.name, file=sys.stderr)
        return 1

    GLib.unix_signal_add(GLib.PRIORITY_DEFAULT, signal.SIGTERM, loop.quit)
    GLib.unix_signal_add(GLib.PRIORITY_DEFAULT, signal.SIGINT, loop.quit)
    print("READY", flush=True)
    loop.run()
    record.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
