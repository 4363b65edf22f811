# Runs server.py a second time, as if you restarted it right after it exited.
# Leave this file as it is: the exercise is in server.py.
import runpy

runpy.run_path("server.py", run_name="__main__")
