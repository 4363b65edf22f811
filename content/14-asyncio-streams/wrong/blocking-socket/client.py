"""Uses a blocking socket inside the coroutine: gather cannot run the two at once."""
import asyncio
import socket

SERVERS = [("127.0.0.1", 9001), ("127.0.0.1", 9002)]
TIMEOUT = 0.5  # seconds per request


async def fetch(host: str, port: int) -> str:
    """Sends one request line to host:port and returns the line it answers."""
    # A blocking socket inside a coroutine: while it waits, the event loop and every other
    # coroutine wait too.
    with socket.create_connection((host, port), timeout=TIMEOUT) as sock:
        sock.sendall(b"hello\n")
        line = sock.makefile("rb").readline()
        return line.decode("utf-8").strip()


async def fetch_or_timeout(host: str, port: int) -> str:
    """The answer of host:port, or "timeout" when it takes longer than TIMEOUT."""
    try:
        async with asyncio.timeout(TIMEOUT):
            return await fetch(host, port)
    except TimeoutError:
        return "timeout"


async def main() -> None:
    results = await asyncio.gather(*(fetch_or_timeout(host, port) for host, port in SERVERS))
    for (host, port), result in zip(SERVERS, results):
        print(f"{host}:{port} {result}")


asyncio.run(main())
