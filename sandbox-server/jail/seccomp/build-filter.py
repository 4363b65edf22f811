#!/usr/bin/python3
"""Compiles policy.json into a seccomp BPF program for `bwrap --seccomp FD`, written to stdout.

Run with the Debian interpreter, which has python3-seccomp:
    /usr/bin/python3 build-filter.py policy.json > learner.bpf
The same policy gives the same program, so the filter is reproducible from the repository.
"""
import errno
import json
import sys

import seccomp

MAX_FAMILY = 64


def build(policy):
    flt = seccomp.SyscallFilter(defaction=seccomp.ALLOW)
    # A syscall from another ABI (i386 int 0x80, x32) could dodge every rule: kill the process.
    flt.set_attr(seccomp.Attr.ACT_BADARCH, seccomp.KILL_PROCESS)
    for name, calls in policy["errno"].items():
        for call in calls:
            add(flt, seccomp.ERRNO(getattr(errno, name)), call)
    clone = policy["cloneNamespaceFlags"]
    for flag in clone["flags"].values():
        add(flt, seccomp.ERRNO(getattr(errno, clone["errno"])), "clone", seccomp.Arg(0, seccomp.MASKED_EQ, flag, flag))
    ioctl = policy["ioctl"]
    for request in ioctl["requests"].values():
        add(flt, seccomp.ERRNO(getattr(errno, ioctl["errno"])), "ioctl", seccomp.Arg(1, seccomp.MASKED_EQ, 0xFFFFFFFF, request))
    sockets = policy["socketFamilies"]
    denied = seccomp.ERRNO(getattr(errno, sockets["errno"]))
    for family in range(MAX_FAMILY):
        if family not in sockets["allow"]:
            add(flt, denied, "socket", seccomp.Arg(0, seccomp.EQ, family))
    add(flt, denied, "socket", seccomp.Arg(0, seccomp.GE, MAX_FAMILY))
    return flt


def add(flt, action, call, *args):
    if seccomp.resolve_syscall(seccomp.Arch.NATIVE, call) < 0:
        # Unknown to this libseccomp (an older one): say so rather than fail the whole filter.
        print(f"build-filter: {call} is unknown here; not filtered", file=sys.stderr)
        return
    flt.add_rule(action, call, *args)


def main():
    with open(sys.argv[1], encoding="utf-8") as handle:
        policy = json.load(handle)
    build(policy).export_bpf(sys.stdout.buffer)
    sys.stdout.flush()


if __name__ == "__main__":
    main()
