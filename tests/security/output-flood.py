# Attacks: the output path (server memory, the browser). Prints as fast as it can, forever.
# Expected: the run stops at the output limit with reason output-limit; no more than the limit is kept.
line = "flood " * 20
while True:
    print(line)
