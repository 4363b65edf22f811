"""Gathers both requests but gives neither a timeout."""
import asyncio

SERVERS = [("127.0.0.1", 9001), ("127.0.0.1", 9002)]
TIMEOUT = 0.5  # seconds per request


async def fetch(host: str, port: int) -> str:
    """Sends one request line to host:port and returns the line it answers."""
    reader, writer = await asyncio.open_connection(host, port)
    try:
        writer.write(b"hello\n")
        await writer.drain()
        line = await reader.readline()
        return line.decode("utf-8").strip()
    finally:
        writer.close()
        await writer.wait_closed()


async def fetch_or_timeout(host: str, port: int) -> str:
    """The answer of host:port, or "timeout" when it takes longer than TIMEOUT."""
    return await fetch(host, port)  # no timeout: a hung server holds this forever


async def main() -> None:
    results = await asyncio.gather(*(fetch_or_timeout(host, port) for host, port in SERVERS))
    for (host, port), result in zip(SERVERS, results):
        print(f"{host}:{port} {result}")


asyncio.run(main())
