"""第 1 部分：用 asyncio 写一个同时服务所有客户端的回显服务器。"""
import asyncio
import time

HOST, PORT = "127.0.0.1", 8080


async def handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    """每个客户端运行一次，各自在自己的任务里。"""
    # TODO：把每一行都原样发回，直到 readline() 返回 b""（客户端说完了）。
    line = await reader.readline()
    time.sleep(0.1)  # 慢吞吞的后端，每行 0.1 秒。TODO：这样对其他客户端公平吗？
    writer.write(line)
    # TODO：等数据能发出去（drain），然后关闭连接并等它关完。


async def main() -> None:
    server = await asyncio.start_server(handle, HOST, PORT)
    print(f"listening on {HOST}:{PORT}")
    async with server:
        await server.serve_forever()


asyncio.run(main())
