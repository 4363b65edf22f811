# Attacks: the output decoder and the protocol. Writes raw bytes that are not UTF-8 (stray
# continuation bytes, overlong forms, encoded surrogates, 0xFF), NUL and a split multi-byte
# character across two writes.
# Expected: the run completes; the bytes reach the browser as valid text, each invalid byte replaced
# by U+FFFD, and the split character joined again.
import os
import time

os.write(1, b"A\x80B\xc0\xafC\xed\xa0\x80D\xffE\x00F\n")
os.write(1, b"split \xe2\x82")
time.sleep(0.05)
os.write(1, b"\xac done\n")
os.write(2, b"err \xfe\xfe\n")
