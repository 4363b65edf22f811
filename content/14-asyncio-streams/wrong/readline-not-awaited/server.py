"""Calls reader.readline() without await."""
import asyncio

HOST, PORT = "127.0.0.1", 8080


async def handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    """Echoes each line of one client until it ends its side, then closes the connection."""
    try:
        while True:
            line = reader.readline()  # a coroutine object, not a line
            if not line:
                break
            await asyncio.sleep(0.1)  # the slow backend: waits without blocking the others
            writer.write(line)
            await writer.drain()  # waits while the client is slow to read (backpressure)
    except ConnectionError as error:
        print("a client went away:", error)
    finally:
        writer.close()
        await writer.wait_closed()


async def main() -> None:
    server = await asyncio.start_server(handle, HOST, PORT)
    print(f"listening on {HOST}:{PORT}")
    async with server:
        await server.serve_forever()


asyncio.run(main())
