"""Prints what an answer looked like once, without asking anyone."""
print("127.0.0.1:9001 你好 apple-3f9k2m1q")
print("127.0.0.1:9002 timeout")
