# Attacks: anything left visible. Walks the whole filesystem the sandbox sees (but /proc, /usr,
# whose files are the host's read-only system, and /dev) and lists every file and directory.
# Expected: exactly the synthetic /etc, the learner's files under /app, an empty /tmp and the
# merged-/usr symlinks: nothing of the host, the application or another run.
import os

seen = []
for top in sorted(os.listdir("/")):
    if top in ("proc", "usr", "dev"):
        continue
    path = "/" + top
    if os.path.islink(path):
        seen.append(f"{path} -> {os.readlink(path)}")
        continue
    for root, dirs, files in os.walk(path):
        seen.append(root + "/")
        seen.extend(os.path.join(root, name) for name in files)
print("\n".join(sorted(seen)))
