"""Part 1: an echo server that serves every client at the same time, with asyncio."""
import asyncio
import time

HOST, PORT = "127.0.0.1", 8080


async def handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    """Runs once per client, in a task of its own."""
    # TODO: echo every line, until readline() returns b"" (the client has finished).
    line = await reader.readline()
    time.sleep(0.1)  # the slow backend, 0.1 s per line. TODO: is this fair to the others?
    writer.write(line)
    # TODO: wait until the bytes can go (drain), then close the connection and wait for it.


async def main() -> None:
    server = await asyncio.start_server(handle, HOST, PORT)
    print(f"listening on {HOST}:{PORT}")
    async with server:
        await server.serve_forever()


asyncio.run(main())
