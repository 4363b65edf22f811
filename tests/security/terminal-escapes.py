# Attacks: whatever displays the output. Prints terminal control sequences: clear screen, cursor
# moves, window title (OSC 0), clipboard write (OSC 52), hyperlink (OSC 8), DCS, a bell, a carriage
# return over earlier text, and an xterm "report" request that makes a real terminal answer on
# stdin.
# Expected: they are data. The server passes them unchanged as output events (the browser's terminal
# draws them in the learner's own tab), nothing is answered on stdin, and the server's own terminal,
# logs and process are untouched.
import select
import sys

sys.stdout.write("\x1b[2J\x1b[H\x1b[31mred\x1b[0m\n")
sys.stdout.write("\x1b]0;owned title\x07\x1b]52;c;b3duZWQ=\x07\n")
sys.stdout.write("\x1b]8;;http://evil.example/\x1b\\link\x1b]8;;\x1b\\\n")
sys.stdout.write("\x1bP+q544e\x1b\\\x07secret\rhidden\n")
sys.stdout.write("\x1b[6n\x1b[c\x1b[21t\n")
sys.stdout.flush()
ready, _, _ = select.select([sys.stdin], [], [], 0.3)
print("stdin answered" if ready and sys.stdin.read(1) else "no answer on stdin", flush=True)
