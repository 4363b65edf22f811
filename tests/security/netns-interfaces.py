# Attacks: the network boundary from inside: other interfaces, routes out, DNS, broadcast, and
# privileged ports.
# Expected: loopback is the only interface and there is no route anywhere else (ENETUNREACH), no
# resolver, ports below ip_unprivileged_port_start (1024 in a fresh namespace) cannot be bound, and
# the namespace's sysctls are read-only.
import errno
import socket

# (if_nameindex would ask netlink, which the filter refuses: read /proc/net/dev instead.)
print("interfaces:", [line.split(":")[0].strip() for line in open("/proc/net/dev").read().splitlines()[2:]])
print("routes:", open("/proc/net/route").read().splitlines()[1:])
print("ipv6 routes:", sorted({line.split()[-1] for line in open("/proc/net/ipv6_route")}))
for label, family, address in (("udp 8.8.8.8", socket.AF_INET, ("8.8.8.8", 53)), ("udp broadcast", socket.AF_INET, ("255.255.255.255", 67)), ("udp 2001:4860::8888", socket.AF_INET6, ("2001:4860:4860::8888", 53, 0, 0)), ("udp 10.0.0.1", socket.AF_INET, ("10.0.0.1", 53))):
    with socket.socket(family, socket.SOCK_DGRAM) as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_BROADCAST, 1)
        try:
            sock.sendto(b"x", address)
            print(f"{label}: SENT")
        except OSError as error:
            print(f"{label}: {errno.errorcode[error.errno]}")
try:
    socket.getaddrinfo("example.com", 80)
    print("dns: RESOLVED")
except socket.gaierror as error:
    print(f"dns: {error.args[1]}")
start = int(open("/proc/sys/net/ipv4/ip_unprivileged_port_start").read())
print("ip_unprivileged_port_start:", start)
for port in (22, 80, 443, 1023, 1024, 8080):
    with socket.socket() as sock:
        try:
            sock.bind(("127.0.0.1", port))
            print(f"bind {port}: bound")
        except OSError as error:
            print(f"bind {port}: {errno.errorcode[error.errno]}")
try:
    with open("/proc/sys/net/ipv4/ip_unprivileged_port_start", "w") as handle:
        handle.write("0")
    print("sysctl write: WRITTEN")
except OSError as error:
    print(f"sysctl write: {errno.errorcode[error.errno]}")
