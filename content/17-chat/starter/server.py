"""A chat server: every client sends NICK <name> first, then lines of chat."""
import asyncio

HOST, PORT = "127.0.0.1", 8080

clients = set()  # who is in the chat now


async def handle(reader, writer):
    first = await reader.readline()  # b"NICK maple123\n"
    nick = first[5:].decode().strip()
    clients.add(writer)
    # TODO: tell the others "* nick joined".
    # TODO: read this client's lines until readline() returns b"", and pass each one on to
    #       every OTHER client as "nick: text". A client that stops reading must not hold up
    #       the others: give each client its own queue and a task that writes from it.
    # TODO: however the client leaves (b"" or ConnectionResetError), tell the others
    #       "* nick left" and close the writer.
    clients.discard(writer)
    writer.close()


async def main():
    server = await asyncio.start_server(handle, HOST, PORT)
    print(f"chat server on {HOST}:{PORT}", flush=True)
    async with server:
        await server.serve_forever()


asyncio.run(main())
