# Attacks: memory. Grows a buffer by 16 MiB at a time, touching every page, until the host runs out.
# Expected: the memory cgroup (swap included) OOM-kills it; the run ends with reason memory-limit.
chunks = []
while True:
    chunks.append(bytearray(16 * 1024 * 1024))
    print(f"{len(chunks) * 16} MiB", flush=True)
