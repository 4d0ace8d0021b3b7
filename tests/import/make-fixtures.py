#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""Writes the import fixtures into fixtures/.

The fixtures are committed; this script documents how each was made (most
are plain text, but some must be Windows-1252, Shift_JIS, UTF-16 or DER
bytes) and regenerates them.  The .expected files are not written here:
run the tests with NM_L2TP_UPDATE_EXPECTED=1 and review the diff.

Needs python3 and the openssl command (3DES for the Cisco enc_ values, a
throw-away certificate for the signed .mobileconfig)."""

import base64
import hashlib
import os
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "fixtures")


def write(name, data):
    if isinstance(data, str):
        data = data.encode("utf-8")
    with open(os.path.join(OUT, name), "wb") as f:
        f.write(data)


def crlf(text):
    return text.replace("\n", "\r\n")


def cisco_encrypt(plain, seed):
    """The Cisco VPN client's enc_ scrambling, from its description: key =
    SHA1(seed, last byte +1) + SHA1(seed, last byte +3)[:4], 3DES-CBC with
    the seed's first 8 bytes as IV, PKCS#7 padding, then seed + SHA1(ct) +
    ct in hex."""
    data = plain.encode("cp1252") if isinstance(plain, str) else plain
    pad = 8 - len(data) % 8
    data += bytes([pad]) * pad
    s1 = bytearray(seed)
    s1[19] = (s1[19] + 1) & 0xFF
    s3 = bytearray(seed)
    s3[19] = (s3[19] + 3) & 0xFF
    key = hashlib.sha1(s1).digest() + hashlib.sha1(s3).digest()[:4]
    ct = subprocess.run(
        ["openssl", "enc", "-des-ede3-cbc", "-nopad", "-K", key.hex(), "-iv", bytes(seed[:8]).hex()],
        input=data, capture_output=True, check=True).stdout
    return (bytes(seed) + hashlib.sha1(ct).digest() + ct).hex().upper()


def seed(n):
    return bytes((n * 31 + i * 7) & 0xFF for i in range(20))


# --- NetworkManager-l2tp .conf -------------------------------------------

write("conf-basic.conf", """# exported by NetworkManager-l2tp
[connection]
id=Office L2TP

[vpn]
service-type=org.freedesktop.NetworkManager.l2tp
gateway=vpn.example.com
user=alice
ipsec-enabled=true
ipsec-psk-flags=1
password-flags=1
refuse-pap=true
refuse-chap=true
refuse-eap=true
require-mppe=false
mru=1400
mtu=1400
lcp-echo-failure=5
lcp-echo-interval=30

[ipv4]
method=auto
dns=10.0.0.53;10.0.0.54;
dns-search=corp.example;example.net;
routes=10.10.0.0/16 via 10.0.0.1 metric 10;192.168.50.0/24;
ignore-auto-routes=true
never-default=true
""")

write("conf-old-ip4.conf", """[connection]
id = Old Style

[vpn]
gateway = 203.0.113.7
user = bob
refuse-eap = true
nobsdcomp = true
nodeflate = true
no-vj-comp = true
ipsec-enabled = true
ipsec-gateway-id = 203.0.113.7
ipsec-group-name = GroupVPN
ipsec-pfs = true

[ip4]
method = auto
dns = 192.168.0.1;8.8.8.8;
dns-search = my_domain1;my_domain2;
routes = 192.168.0.0/24 via 192.168.0.1 metric 1;192.168.1.0/24 via 192.168.0.1 metric 2;
ignore-auto-routes = false
ignore-auto-dns = true
dhcp-send-hostname = false
never-default = false
""")

write("conf-ipv6.conf", """[connection]
id=Dual Stack

[vpn]
gateway=2001:db8::1
ipsec-enabled=true
ipsec-ike=aes256-sha256-modp2048
ipsec-esp=aes256-sha256
ipsec-forceencaps=true
ipsec-ikelifetime=28800
ipsec-salifetime=3600

[ipv4]
method=auto
route-metric=50

[ipv6]
method=auto
dns=2001:db8::53;
routes=2001:db8:100::/48 via 2001:db8::fe metric 20;
never-default=true
""")

write("conf-nm-keyfile.conf", """[connection]
id=From keyfile
uuid=8f3c6f7e-0d6b-4c5e-9d7b-0a3f1e2d4c5b
type=vpn
autoconnect=false
permissions=user:alice:;

[vpn]
gateway=l2tp.example.org
ipsec-enabled=yes
ipsec-psk-flags=0
password-flags=0
user=alice
service-type=org.freedesktop.NetworkManager.l2tp

[vpn-secrets]
ipsec-psk=0sc2VjcmV0LXBzaw==
password=s3cr3t pass

[ipv4]
method=auto
dns=10.1.1.1;
route1=10.20.0.0/16,10.1.0.1,100
route2=10.30.0.0/16
may-fail=false

[ipv6]
addr-gen-mode=stable-privacy
method=ignore

[proxy]
""")

write("conf-nonascii.conf", """[connection]
id=Büro 東京 — VPN

[vpn]
gateway=vpn.bücher.example
user=jörg.müller
domain=BÜRO
ipsec-enabled=true
ipsec-remote-id=@vpn.bücher.example

[ipv4]
method=auto
""")

write("conf-minimal.conf", """[vpn]
gateway=192.0.2.10
""")

write("conf-unknown-keys.conf", """[connection]
id=Unknown keys
zone=trusted

[vpn]
gateway=vpn.example.com
ipsec-enabled=true
future-option=42
ipsec-ike=aes128-sha1-modp1024,3des-sha1-modp1024!
ipsec-esp=aes128-sha1,3des-sha1!
mtu=1280
mru=1280
unit=5
ephemeral-port=true
timeout-ike=15

[ipv4]
method=auto
dhcp-timeout=30

[wireguard]
private-key=nothing
""")

write("conf-secrets-in-vpn.conf", """[connection]
id=Secrets in vpn

[vpn]
gateway=vpn.example.com
ipsec-enabled=true
ipsec-psk=my shared secret
user=carol

[vpn-secrets]
password=p4ss;word
""")

write("conf-tls.conf", """[connection]
id=Certificates

[vpn]
gateway=vpn.example.com
user-auth-type=tls
user-ca=/etc/ssl/certs/corp-ca.pem
user-cert=/home/alice/.cert/alice.pem
user-key=/home/alice/.cert/alice.key
user-certpass-flags=2
ipsec-enabled=true
machine-auth-type=tls
machine-ca=/etc/ssl/certs/corp-ca.pem
machine-cert=/home/alice/.cert/host.pem
machine-key=/home/alice/.cert/host.key
machine-certpass-flags=1
ipsec-remote-id=CN=vpn.example.com
ipsec-ikev2=false
""")

write("conf-utf8-bom.conf", b"\xef\xbb\xbf" + """[connection]
id=With BOM

[vpn]
gateway=vpn.example.com
ipsec-enabled=true

[ipv4]
method=auto
never-default=true
""".encode())

# conf-written-by-nm-l2tp-1.20.8.conf is not generated here: it is the file
# that NetworkManager-l2tp 1.20.8 (Debian 12) exported for the connection of
# conf-basic.conf (its plugin loaded with nm_vpn_editor_plugin_load_from_file()
# and nm_vpn_editor_plugin_export()), kept as the real thing.

# --- Cisco .pcf ------------------------------------------------------------

write("pcf-basic.pcf", crlf("""[main]
Description=Head Office
Host=vpn.example.com
AuthType=1
GroupName=staff
GroupPwd=group-secret
enc_GroupPwd=
EnableISPConnect=0
ISPConnectType=0
ISPConnect=
ISPCommand=
Username=alice
SaveUserPassword=0
UserPassword=
enc_UserPassword=
NTDomain=CORP
EnableBackup=0
BackupServer=
EnableMSLogon=1
MSLogonType=0
EnableNat=1
TunnelingMode=0
TcpTunnelingPort=10000
CertStore=0
CertName=
CertPath=
CertSubjectName=
CertSerialHash=00000000000000000000000000000000
SendCertChain=0
PeerTimeout=90
EnableLocalLAN=1
DHGroup=2
ForceKeepAlives=0
"""))

# The published example (a university's profile with its vpnc settings).
write("pcf-published.pcf", crlf("""[main]
Description=VPN tilkobling med Student-IT konto.
!Host=129.242.233.180
!AuthType=1
!GroupName=student.uit.no
GroupPwd=
enc_GroupPwd=F992230153F51928672DF6C7B9C61EF8437252CFBE28C1101EF1A119D077E93CCCEEE4FE72E8A2DF5EC384E005F77577CCA7CCCA231FE9D8
EnableISPConnect=0
ISPConnectType=1
ISPConnect=
ISPCommand=
Username=[Erstatt med din fulle epostadresse]
!SaveUserPassword=0
UserPassword=
enc_UserPassword=
NTDomain=
EnableBackup=0
BackupServer=
EnableMSLogon=0
MSLogonType=1
EnableNat=1
CertStore=0
CertName=
CertPath=
CertSubjectName=
CertSerialHash=00000000000000000000000000000000
DHGroup=2
ForceKeepAlives=0
PeerTimeout=90
EnableLocalLAN=1
TunnelingMode=0
TcpTunnelingPort=10000
SendCertChain=0
VerifyCertDN=
EnableSplitDNS=1
"""))

write("pcf-enc-both.pcf", crlf("""[main]
Description=Encrypted secrets
Host=198.51.100.20
AuthType=1
GroupName=remote-users
GroupPwd=
enc_GroupPwd=%s
Username=dave
SaveUserPassword=1
UserPassword=
enc_UserPassword=%s
""" % (cisco_encrypt("Gr0up!Key#2024", seed(1)), cisco_encrypt("user pass 12345678", seed(2)))))

write("pcf-locked.pcf", crlf("""[main]
!Description=Locked profile
!Host=vpn2.example.com
!AuthType=1
!GroupName=locked
!GroupPwd=locked-psk
!Username=erin
!NTDomain=EXAMPLE
!EnableLocalLAN=1
"""))

write("pcf-cp1252.pcf", crlf("""[main]
Description=Büro Zürich – Außendienst
Host=vpn.example.ch
AuthType=1
GroupName=außendienst
GroupPwd=Grüße
Username=jörg
NTDomain=
""").encode("cp1252"))

write("pcf-sjis.pcf", crlf("""[main]
Description=東京オフィス ＶＰＮ
Host=vpn.example.jp
AuthType=1
GroupName=営業部
GroupPwd=秘密の鍵
Username=やまだ
""").encode("shift_jis"))

write("pcf-cert-auth.pcf", crlf("""[main]
Description=Cert Office
Host=vpn.example.com
AuthType=3
GroupName=
Username=frank
CertStore=1
CertName=frank@example.com
CertPath=
TunnelingMode=1
TcpTunnelingPort=10000
EnableBackup=1
BackupServer=vpn-backup.example.com
EnableLocalLAN=0
ISPPhonebook=C:\\Program Files\\phonebook.pbk
X-CustomOption=5
"""))

write("pcf-missing-optional.pcf", """[main]
Host=192.0.2.99
GroupName=only-group
""")

# --- Windows rasphone.pbk ----------------------------------------------------

PBK_ENTRY = """[{name}]
Encoding=1
PBVersion=4
Type={type}
AutoLogon=0
UseRasCredentials=1
LowDateTime=-1525024880
HighDateTime=30985227
DialParamsUID=1234567
Guid=A1B2C3D4E5F60718293A4B5C6D7E8F90
VpnStrategy={vs}
ExcludedProtocols=0
LcpExtensions=1
DataEncryption={de}
SwCompression=0
NegotiateMultilinkAlways=0
SkipDoubleDialDialog=0
DialMode=0
OverridePref=15
RedialAttempts=3
RedialSeconds=60
IdleDisconnectSeconds=0
RedialOnLinkFailure=1
CallbackMode=0
CustomDialDll=
CustomDialFunc=
CustomRasDialDll=
ForceSecureCompartment=0
DisableIKENameEkuCheck=0
AuthenticateServer=0
ShareMsFilePrint=1
BindMsNetClient=1
SharedPhoneNumbers=0
GlobalDeviceSettings=0
PrerequisiteEntry=
PrerequisitePbk=
PreferredPort=VPN2-0
PreferredDevice=WAN Miniport (L2TP)
PreferredBps=0
PreferredHwFlow=0
PreferredProtocol=0
PreferredCompression=0
PreferredSpeaker=0
PreferredMdmProtocol=0
PreviewUserPw=1
PreviewDomain=0
PreviewPhoneNumber=0
ShowDialingProgress=1
ShowMonitorIconInTaskBar=0
CustomAuthKey=0
AuthRestrictions={ar}
IpPrioritizeRemote={prio}
IpInterfaceMetric=0
IpHeaderCompression=0
IpAddress=0.0.0.0
IpDnsAddress={dns1}
IpDns2Address={dns2}
IpWinsAddress=0.0.0.0
IpWins2Address=0.0.0.0
IpAssign=1
IpNameAssign={assign}
IpDnsFlags=0
IpNBTFlags=1
TcpWindowSize=0
UseFlags=2
IpSecFlags={ipsec}
IpDnsSuffix={suffix}
Ipv6Assign=1
Ipv6Address=::
Ipv6PrefixLength=0
Ipv6PrioritizeRemote=1
Ipv6InterfaceMetric=0
Ipv6NameAssign=1
Ipv6DnsAddress=::
Ipv6Dns2Address=::
Ipv6Prefix=0000000000000000
Ipv6InterfaceId=0000000000000000
DisableClassBasedDefaultRoute=0
DisableMobility=0
NetworkOutageTime=0
IDI=
IDR=
ImsConfig=0
IdiType=0
IdrType=0
ProvisionType=0
PreSharedKey=
CacheCredentials=1
NumCustomPolicy=0
NumEku=0
UseMachineRootCert=0
Disable_IKEv2_Fragmentation=0
PlumbIKEv2TSAsRoutes=0
NumServers=0
RouteVersion=1
NumRoutes=0
NumNrptRules=0
AutoTiggerCapable=0
NumAppIds=0
NumClassicAppIds=0
SecurityDescriptor=
ApnInfoProviderId=
ApnInfoUsername=
ApnInfoPassword=
ApnInfoAccessPoint=
ApnInfoAuthentication=1
ApnInfoCompression=0
DeviceComplianceEnabled=0
DeviceComplianceSsoEnabled=0
DeviceComplianceSsoEku=
DeviceComplianceSsoIssuer=
WebAuthEnabled=0
WebAuthClientId=
FlagsSet=0
Options=0
DisableDefaultDnsSuffixes=0
NumTrustedNetworks=0
NumDnsSearchSuffixes=0
PowershellCreatedProfile=0
ProxyFlags=0
ProxySettingsModified=0
ProvisioningAuthority=
AuthTypeOTP=0
GREKeyDefined=0
NumPerAppTrafficFilters=0
AlwaysOnCapable=0
DeviceTunnel=0
PrivateNetwork=1

NETCOMPONENTS=
ms_msclient=1
ms_server=1

MEDIA=rastapi
Port=VPN2-0
Device=WAN Miniport (L2TP)

DEVICE=vpn
PhoneNumber={host}
AreaCode=
CountryCode=0
CountryID=0
UseDialingRules=0
Comment=
FriendlyName=
LastSelectedPhone=0
PromoteAlternates=0
TryNextAlternateOnFail=1

"""


def pbk(name, host, type="2", vs="3", de="256", ar="544", prio="1", dns1="0.0.0.0", dns2="0.0.0.0",
        assign="1", ipsec="1", suffix=""):
    return PBK_ENTRY.format(name=name, host=host, type=type, vs=vs, de=de, ar=ar, prio=prio, dns1=dns1,
                            dns2=dns2, assign=assign, ipsec=ipsec, suffix=suffix)


write("pbk-single.pbk", crlf(pbk("Office L2TP", "vpn.example.com", prio="0", dns1="10.0.0.53",
                                 dns2="10.0.0.54", assign="2", suffix="corp.example")))

write("pbk-multi.pbk", crlf(
    pbk("Old PPTP", "pptp.example.com", vs="1")
    + pbk("Branch A", "a.example.com", vs="4", ar="512", de="512")
    + pbk("IKEv2 Office", "ikev2.example.com", vs="7")
    + pbk("Branch B", "b.example.com", vs="3")
    + pbk("Branch C", "c.example.com", vs="4")))

write("pbk-nonascii-bom.pbk", b"\xef\xbb\xbf" + crlf(pbk("Büro – Köln", "köln.example.de", ar="8")).encode())

write("pbk-utf16le.pbk", b"\xff\xfe" + crlf(pbk("東京 VPN", "tokyo.example.jp", ar="608", de="8")).encode("utf-16-le"))

write("pbk-cp1252.pbk", crlf(pbk("Café Résumé", "198.51.100.7", ar="96", de="0")).encode("cp1252"))

write("pbk-sjis.pbk", crlf(pbk("大阪事務所", "osaka.example.jp", ar="544", de="512")).encode("shift_jis"))

write("pbk-cert-eap.pbk", crlf(pbk("EAP Office", "eap.example.com", ar="128", de="512", ipsec="0")))

write("pbk-minimal.pbk", """[Minimal]
Type=2
VpnStrategy=4
PhoneNumber=192.0.2.44
""")

write("pbk-dns-server-assigned.pbk", crlf(pbk("Server DNS", "vpn.example.net", prio="1", dns1="10.9.9.9",
                                               assign="1", ar="0", de="8")))

# --- Apple .mobileconfig -----------------------------------------------------

PLIST_HEAD = """<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE plist PUBLIC "-//Apple//DTD PLIST 1.0//EN" "http://www.apple.com/DTDs/PropertyList-1.0.dtd">
<plist version="1.0">
<dict>
	<key>PayloadContent</key>
	<array>
"""
PLIST_TAIL = """	</array>
	<key>PayloadDisplayName</key>
	<string>{display}</string>
	<key>PayloadIdentifier</key>
	<string>com.example.profile</string>
	<key>PayloadType</key>
	<string>Configuration</string>
	<key>PayloadUUID</key>
	<string>9C5B2D0E-1F3A-4B6C-8D7E-0F1A2B3C4D5E</string>
	<key>PayloadVersion</key>
	<integer>1</integer>
</dict>
</plist>
"""


def l2tp_payload(name, host, ppp_extra="", ipsec="", ipv4="", extra=""):
    return """		<dict>
			<key>IPv4</key>
			<dict>
{ipv4}			</dict>
			<key>IPSec</key>
			<dict>
{ipsec}			</dict>
			<key>PPP</key>
			<dict>
				<key>CommRemoteAddress</key>
				<string>{host}</string>
{ppp}			</dict>
			<key>PayloadDisplayName</key>
			<string>VPN</string>
			<key>PayloadIdentifier</key>
			<string>com.example.vpn.{uid}</string>
			<key>PayloadType</key>
			<string>com.apple.vpn.managed</string>
			<key>PayloadUUID</key>
			<string>0A1B2C3D-4E5F-6071-8293-A4B5C6D7E8F9</string>
			<key>PayloadVersion</key>
			<integer>1</integer>
			<key>UserDefinedName</key>
			<string>{name}</string>
			<key>VPNType</key>
			<string>L2TP</string>
{extra}		</dict>
""".format(name=name, host=host, ppp=ppp_extra, ipsec=ipsec, ipv4=ipv4, extra=extra, uid=sum(name.encode()) % 1000)


def b64(s):
    return base64.b64encode(s if isinstance(s, bytes) else s.encode()).decode()


PSK_IPSEC = """				<key>AuthenticationMethod</key>
				<string>SharedSecret</string>
				<key>SharedSecret</key>
				<data>
				{psk}
				</data>
"""

write("mc-basic.mobileconfig", PLIST_HEAD + l2tp_payload(
    "Corp L2TP", "vpn.example.com",
    ppp_extra="""				<key>AuthName</key>
				<string>alice</string>
				<key>AuthPassword</key>
				<string>alice &amp; &lt;pass&gt;</string>
""",
    ipsec=PSK_IPSEC.format(psk=b64("shared-secret-123")),
    ipv4="""				<key>OverridePrimary</key>
				<integer>1</integer>
""") + PLIST_TAIL.format(display="Corp VPN profile"))

WIFI = """		<dict>
			<key>AutoJoin</key>
			<true/>
			<key>PayloadType</key>
			<string>com.apple.wifi.managed</string>
			<key>SSID_STR</key>
			<string>CorpWiFi</string>
		</dict>
		<dict>
			<key>PayloadCertificateFileName</key>
			<string>ca.cer</string>
			<key>PayloadContent</key>
			<data>
			MIIBszCCAVmgAwIBAgIUJ2ZkZWFkYmVlZg==
			</data>
			<key>PayloadType</key>
			<string>com.apple.security.root</string>
		</dict>
		<dict>
			<key>PayloadType</key>
			<string>com.apple.vpn.managed</string>
			<key>VPNType</key>
			<string>IKEv2</string>
			<key>UserDefinedName</key>
			<string>IKEv2 one</string>
		</dict>
"""

write("mc-multi-payload.mobileconfig", PLIST_HEAD + WIFI + l2tp_payload(
    "First L2TP", "first.example.com",
    ipsec=PSK_IPSEC.format(psk=b64("first-psk")),
    ppp_extra="""				<key>AuthName</key>
				<string>bob</string>
""") + l2tp_payload("Second L2TP", "second.example.com") + PLIST_TAIL.format(display="Several payloads"))

write("mc-mppe-token.mobileconfig", PLIST_HEAD + l2tp_payload(
    "Token VPN", "198.51.100.30",
    ppp_extra="""				<key>AuthName</key>
				<string>carol</string>
				<key>TokenCard</key>
				<true/>
				<key>CCPEnabled</key>
				<true/>
				<key>CCPMPPE40Enabled</key>
				<false/>
				<key>CCPMPPE128Enabled</key>
				<true/>
""",
    ipsec=PSK_IPSEC.format(psk=b64("tokenpsk")) + """				<key>LocalIdentifier</key>
				<string>sales-group</string>
				<key>LocalIdentifierType</key>
				<string>KeyID</string>
""",
    ipv4="""				<key>OverridePrimary</key>
				<false/>
""",
    extra="""			<key>DNS</key>
			<dict>
				<key>ServerAddresses</key>
				<array>
					<string>10.0.0.53</string>
					<string>10.0.0.54</string>
				</array>
				<key>SearchDomains</key>
				<array>
					<string>corp.example</string>
				</array>
			</dict>
			<key>Proxies</key>
			<dict>
				<key>HTTPEnable</key>
				<integer>0</integer>
			</dict>
""") + PLIST_TAIL.format(display="MPPE"))

write("mc-nonascii.mobileconfig", PLIST_HEAD + l2tp_payload(
    "東京 L2TP — Büro", "vpn.例え.jp",
    ppp_extra="""				<key>AuthName</key>
				<string>山田</string>
""",
    ipsec=PSK_IPSEC.format(psk=b64(bytes([0x00, 0x01, 0xfe, 0xff, 0x41, 0x42, 0x10, 0x80])))) +
    PLIST_TAIL.format(display="日本語プロファイル"))

write("mc-cert.mobileconfig", PLIST_HEAD + l2tp_payload(
    "Cert VPN", "cert.example.com",
    ipsec="""				<key>AuthenticationMethod</key>
				<string>Certificate</string>
				<key>PayloadCertificateUUID</key>
				<string>11111111-2222-3333-4444-555555555555</string>
""") + PLIST_TAIL.format(display="Cert"))

write("mc-minimal.mobileconfig", """<?xml version="1.0" encoding="UTF-8"?>
<plist version="1.0"><dict><key>PayloadContent</key><array><dict>
<key>PayloadType</key><string>com.apple.vpn.managed</string>
<key>VPNType</key><string>L2TP</string>
<key>PPP</key><dict><key>CommRemoteAddress</key><string>192.0.2.5</string></dict>
</dict></array></dict></plist>
""")

# A signed profile: the basic one wrapped in CMS SignedData (DER), as
# Apple Configurator and MDM servers produce them.
with tempfile.TemporaryDirectory() as tmp:
    key = os.path.join(tmp, "k.pem")
    cert = os.path.join(tmp, "c.pem")
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", key, "-out", cert,
                    "-days", "36500", "-subj", "/CN=Example Profile Signer/O=Example Corp"],
                   check=True, capture_output=True)
    signed = subprocess.run(["openssl", "cms", "-sign", "-binary", "-nodetach", "-outform", "DER",
                             "-signer", cert, "-inkey", key,
                             "-in", os.path.join(OUT, "mc-basic.mobileconfig")],
                            check=True, capture_output=True).stdout
write("mc-signed.mobileconfig", signed)

# --- malformed -----------------------------------------------------------

basic = open(os.path.join(OUT, "mc-basic.mobileconfig"), "rb").read()
write("bad-truncated.mobileconfig", basic[: len(basic) * 2 // 3])
write("bad-binary.bin", bytes((i * 73 + 5) & 0xFF for i in range(600)))
write("bad-wrong-types.mobileconfig", basic.replace(b"<string>vpn.example.com</string>", b"<integer>17</integer>"))
write("bad-wrong-type.pbk", crlf(pbk("Bad number", "vpn.example.com", ar="lots")))
write("bad-repeated-key.pcf", "[main]\nHost=vpn.example.com\nGroupName=a\n!Host=evil.example.com\n")
write("bad-repeated-key.conf", "[vpn]\ngateway=vpn.example.com\ngateway=evil.example.com\n")
write("bad-repeated-key.pbk", "[Office]\nType=2\nVpnStrategy=3\nPhoneNumber=vpn.example.com\n"
      "PhoneNumber=evil.example.com\n")
write("bad-repeated-key.mobileconfig", basic.replace(b"<key>AuthName</key>",
                                                     b"<key>AuthName</key><string>x</string><key>AuthName</key>"))
write("bad-inject-newline.conf", "[vpn]\ngateway=vpn.example.com\\nrefuse-pap=yes\n")
write("bad-inject-quote.pcf", "[main]\nHost=vpn.example.com\" plugin /tmp/evil.so\nGroupName=g\n")
write("bad-inject-ctrl.pbk", "[Office]\nType=2\nVpnStrategy=3\nPhoneNumber=vpn.example.com\x01\n")
write("bad-inject-user.mobileconfig", basic.replace(b"<string>alice</string>",
                                                    b"<string>alice&#10;plugin evil.so</string>"))
write("bad-inject-id.pcf", "[main]\nDescription=Office\x1b[2J\nHost=vpn.example.com\n")
write("bad-inject-psk.pcf", "[main]\nHost=vpn.example.com\nGroupPwd=abc\x07def\n")
write("bad-inject-dns.pbk", crlf(pbk("Office", "vpn.example.com", dns1="10.0.0.1;nameserver 6.6.6.6",
                                     assign="2")))
write("bad-inject-route.conf", "[vpn]\ngateway=vpn.example.com\n[ipv4]\nmethod=auto\n"
      "routes=10.0.0.0/8 via 10.0.0.1 metric 5 table 99\n")
write("bad-inject-backslash.conf", "[vpn]\ngateway=vpn.example.com\nipsec-group-name=grp\\\\evil\n")
enc = cisco_encrypt("secret", seed(3))
write("bad-enc-checksum.pcf", "[main]\nHost=vpn.example.com\nenc_GroupPwd=%s\n" % (enc[:-2] + ("00" if enc[-2:] != "00" else "11")))
tampered = bytearray(signed)
pos = tampered.find(b"alice")
tampered[pos] = ord("A")
write("bad-signed-tampered.mobileconfig", bytes(tampered))
write("bad-no-l2tp.pbk", crlf(pbk("Old PPTP", "pptp.example.com", vs="1") + pbk("Dial-up", "5551234", type="1")
                              + pbk("SSTP", "sstp.example.com", vs="5")))
write("bad-no-l2tp.mobileconfig", PLIST_HEAD + WIFI + PLIST_TAIL.format(display="no l2tp"))
write("bad-not-a-profile.txt", "Hello,\nthis is a letter, not a VPN profile.\n")
write("bad-invalid-utf16.pbk", b"\xff\xfe[\x00O\x00\x00\xd8")
write("bad-empty.conf", "")
write("bad-deep.mobileconfig", '<?xml version="1.0"?><plist><dict><key>PayloadContent</key>'
      + "<array>" * 100 + "</array>" * 100 + "</dict></plist>")
write("bad-mppe-conflict.conf", "[vpn]\ngateway=vpn.example.com\nrequire-mppe=true\nrefuse-mschap=true\n"
      "refuse-mschapv2=true\n")
write("bad-no-gateway.pcf", "[main]\nDescription=No host\nGroupName=g\n")
write("bad-not-l2tp.conf", "[connection]\nid=OpenVPN\n[vpn]\nservice-type=org.freedesktop.NetworkManager.openvpn\n"
      "remote=vpn.example.com\n")
write("bad-cp-undecodable.pcf", b"[main]\nHost=vpn.example.com\nDescription=\x81\x8d\x8f\x90\x9d\n")

print("fixtures written to", OUT, file=sys.stderr)
