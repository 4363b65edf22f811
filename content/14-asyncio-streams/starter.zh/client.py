"""第 2 部分：同时向两个服务器发请求；每个请求最多等半秒。"""
import asyncio

SERVERS = [("127.0.0.1", 9001), ("127.0.0.1", 9002)]
TIMEOUT = 0.5  # 每个请求的秒数


async def fetch(host: str, port: int) -> str:
    """向 host:port 发送一行请求，返回它回答的那一行。"""
    # 照种子文章说的："使用 asyncio.open() 函数打开网络套接字"。运行一下看看。
    reader, writer = await asyncio.open(host, port)
    writer.write(b"hello\n")
    await writer.drain()
    line = await reader.readline()
    writer.close()
    await writer.wait_closed()
    return line.decode("utf-8").strip()


async def main() -> None:
    # TODO：两个请求同时进行，各自带超时；太慢的那个打印 "timeout"。
    for host, port in SERVERS:
        print(f"{host}:{port} {await fetch(host, port)}")


asyncio.run(main())
