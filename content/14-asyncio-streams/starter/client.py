"""Part 2: ask both servers at once; give each request half a second at most."""
import asyncio

SERVERS = [("127.0.0.1", 9001), ("127.0.0.1", 9002)]
TIMEOUT = 0.5  # seconds per request


async def fetch(host: str, port: int) -> str:
    """Sends a request line to host:port and returns the line it answers."""
    # As the seed article says: "use asyncio.open() to open a network socket". Run it and see.
    reader, writer = await asyncio.open(host, port)
    writer.write(b"hello\n")
    await writer.drain()
    line = await reader.readline()
    writer.close()
    await writer.wait_closed()
    return line.decode("utf-8").strip()


async def main() -> None:
    # TODO: both requests at the same time, each with a timeout; print "timeout" for one that
    # took too long.
    for host, port in SERVERS:
        print(f"{host}:{port} {await fetch(host, port)}")


asyncio.run(main())
