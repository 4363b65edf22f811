"""A chat server: nicknames, broadcast, join and leave notices, and a slow client that cannot
stall the others, because every client has its own queue and its own writer task."""
import asyncio

HOST, PORT = "127.0.0.1", 8080
# A client that falls this many lines behind is dropped instead of growing memory without end.
MAX_QUEUED = 10_000


class Client:
    def __init__(self, nick, writer):
        self.nick = nick
        self.writer = writer
        self.queue = asyncio.Queue()


clients = set()


def broadcast(text, sender=None):
    """Puts a line in every other client's queue; never waits for anybody."""
    data = (text + "\n").encode()
    for client in list(clients):
        if client.queue.qsize() >= MAX_QUEUED:
            client.writer.transport.abort()  # far too slow: let it go
            continue
        client.queue.put_nowait(data)


async def pump(client):
    """The only place that writes to this client: only this task waits when it is slow."""
    while True:
        data = await client.queue.get()
        client.writer.write(data)
        await client.writer.drain()


async def handle(reader, writer):
    client = None
    writer_task = None
    try:
        first = await reader.readline()
        if not first.startswith(b"NICK "):
            return
        client = Client(first[5:].decode().strip(), writer)
        clients.add(client)
        writer_task = asyncio.create_task(pump(client))
        broadcast(f"* {client.nick} joined", sender=client)
        while line := await reader.readline():
            text = line.decode().rstrip("\r\n")
            broadcast(f"{client.nick}: {text}", sender=client)
    except (ConnectionError, ValueError):
        pass  # a reset, or a line too long: the client is gone either way
    finally:
        if client is not None:
            clients.discard(client)
            broadcast(f"* {client.nick} left")
        if writer_task is not None:
            writer_task.cancel()
        writer.close()
        try:
            await writer.wait_closed()
        except ConnectionError:
            pass


async def main():
    server = await asyncio.start_server(handle, HOST, PORT)
    print(f"chat server on {HOST}:{PORT}", flush=True)
    async with server:
        await server.serve_forever()


asyncio.run(main())
