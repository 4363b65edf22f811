# Attacks: memory, outside Python's allocator. Maps anonymous memory 16 MiB at a time with mmap
# and writes to every page so the kernel must really provide it.
# Expected: the memory cgroup OOM-kills it at the limit; reason memory-limit.
import mmap

maps = []
while True:
    block = mmap.mmap(-1, 16 * 1024 * 1024, flags=mmap.MAP_PRIVATE | mmap.MAP_ANONYMOUS)
    for offset in range(0, len(block), 4096):
        block[offset] = 1
    maps.append(block)
    print(f"{len(maps) * 16} MiB", flush=True)
