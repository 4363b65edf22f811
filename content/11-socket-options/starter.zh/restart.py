# 再运行一次 server.py，就像它刚退出你就重启了它。
# 这个文件保持原样即可：练习在 server.py 里。
import runpy

runpy.run_path("server.py", run_name="__main__")
