# Attacks: disk space through files that claim more than they hold (piston's fallocate.py; snekbox
# tests sparse files): a 1 TiB sparse file, then fallocate of real blocks beyond /tmp's size.
# Expected: the file-size limit (RLIMIT_FSIZE, EFBIG) stops the sparse file and the size of
# /tmp (ENOSPC) stops the allocation; nothing outside the run's tmpfs is touched.
import errno
import os

def attempt(label, action):
    try:
        action()
        print(f"{label}: DONE")
    except OSError as error:
        print(f"{label}: {errno.errorcode[error.errno]}")

fd = os.open("/tmp/sparse", os.O_CREAT | os.O_WRONLY, 0o600)
attempt("truncate to 1 TiB", lambda: os.truncate(fd, 1 << 40))
attempt("seek to 1 TiB and write", lambda: (os.lseek(fd, 1 << 40, os.SEEK_SET), os.write(fd, b"x")))
os.close(fd)
fd = os.open("/tmp/alloc", os.O_CREAT | os.O_WRONLY, 0o600)
attempt("fallocate 6 MiB", lambda: os.posix_fallocate(fd, 0, 6 << 20))
fd2 = os.open("/tmp/alloc2", os.O_CREAT | os.O_WRONLY, 0o600)
attempt("fallocate 6 MiB more", lambda: os.posix_fallocate(fd2, 0, 6 << 20))
fd3 = os.open("/tmp/alloc3", os.O_CREAT | os.O_WRONLY, 0o600)
attempt("fallocate 6 MiB beyond /tmp", lambda: os.posix_fallocate(fd3, 0, 6 << 20))
print("tmp used MiB:", (os.statvfs("/tmp").f_blocks - os.statvfs("/tmp").f_bfree) * os.statvfs("/tmp").f_frsize >> 20)
