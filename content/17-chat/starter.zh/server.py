"""一个聊天服务器：每个客户端先发送 NICK <名字>，之后每一行都是聊天内容。"""
import asyncio

HOST, PORT = "127.0.0.1", 8080

clients = set()  # 现在在聊天室里的人


async def handle(reader, writer):
    first = await reader.readline()  # b"NICK maple123\n"
    nick = first[5:].decode().strip()
    clients.add(writer)
    # TODO：告诉其他人 "* nick joined"。
    # TODO：读取这个客户端的每一行，直到 readline() 返回 b""，把每一行以 "nick: text"
    #       的形式转发给其他每个客户端（不包括它自己）。一个不再读取的客户端不能拖住
    #       其他人：给每个客户端一个自己的队列，再加一个从队列里取出来写的任务。
    # TODO：不管客户端怎么离开（b"" 还是 ConnectionResetError），都告诉其他人
    #       "* nick left"，并关闭 writer。
    clients.discard(writer)
    writer.close()


async def main():
    server = await asyncio.start_server(handle, HOST, PORT)
    print(f"聊天服务器在 {HOST}:{PORT}", flush=True)
    async with server:
        await server.serve_forever()


asyncio.run(main())
