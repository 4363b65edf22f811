# Prints what a 5-tuple and a token look like, without asking the socket or reading the greeter.
print("file descriptor: 3")
print("tcp 127.0.0.1 50000 127.0.0.1 8080")
print("token: a1b2c3d4")
print("listening on port 45000")
print("tcp 127.0.0.1 45000 127.0.0.1 50001")
