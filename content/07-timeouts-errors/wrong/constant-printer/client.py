# Prints what a successful run looks like, without asking any server.
print("primary: timed out, trying the backup")
print("backup: attempt 1 refused, retrying in 0.1 s")
print("backup: attempt 2 refused, retrying in 0.2 s")
print("k3j9x0qa")
