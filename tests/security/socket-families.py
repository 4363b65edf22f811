# Attacks: network kernel surface beyond TCP/UDP: every socket address family (netlink, packet,
# vsock, bluetooth, can, alg, xdp, rds, tipc...), raw IP sockets and ICMP "ping" sockets.
# Expected: only AF_UNIX, AF_INET and AF_INET6 can be created (the rest fail with EAFNOSUPPORT
# from the seccomp filter); raw sockets need CAP_NET_RAW (EPERM) and ping sockets are not granted.
import errno
import socket

created = []
for family in range(0, 46):
    for kind in (socket.SOCK_STREAM, socket.SOCK_DGRAM, socket.SOCK_RAW, socket.SOCK_SEQPACKET):
        try:
            socket.socket(family, kind).close()
            created.append(family)
            break
        except OSError as error:
            if error.errno != errno.EAFNOSUPPORT:
                created.append(family)
                break
print("families that got past the filter:", sorted(set(created)))
for label, args in (("raw IPv4", (socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_ICMP)), ("raw IPv6", (socket.AF_INET6, socket.SOCK_RAW, socket.IPPROTO_ICMPV6)), ("ping", (socket.AF_INET, socket.SOCK_DGRAM, socket.IPPROTO_ICMP)), ("packet", (17, socket.SOCK_RAW, 0)), ("netlink route", (16, socket.SOCK_RAW, 0)), ("vsock", (40, socket.SOCK_STREAM, 0))):
    try:
        socket.socket(*args).close()
        print(f"{label}: CREATED")
    except OSError as error:
        print(f"{label}: {errno.errorcode[error.errno]}")
