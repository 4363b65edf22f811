"""The seed article: "use asyncio.open() to open a network socket". asyncio has no open()."""
import asyncio

SERVERS = [("127.0.0.1", 9001), ("127.0.0.1", 9002)]


async def fetch(host: str, port: int) -> str:
    reader, writer = await asyncio.open(host, port)  # AttributeError: there is no asyncio.open
    writer.write(b"hello\n")
    await writer.drain()
    line = await reader.readline()
    writer.close()
    return line.decode("utf-8").strip()


async def main() -> None:
    results = await asyncio.gather(*(fetch(host, port) for host, port in SERVERS))
    for (host, port), result in zip(SERVERS, results):
        print(f"{host}:{port} {result}")


asyncio.run(main())
