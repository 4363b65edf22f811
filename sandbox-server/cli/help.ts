/** The CLI's --help text. */
import { BUILTIN_PEERS } from '../../lib/lessons/peers.ts';
import { DEFAULT_LIMITS, LIMIT_BOUNDS } from '../limits.ts';

/** Printed for --help and after a usage error hint. */
export const HELP = `Usage: npm run sandbox -- run [options] [FILE...]

Runs Python files together in one fresh sandbox (its own network namespace with only
loopback, each file a process, as the web app does) and prints what they write.

Options:
  --peer NAME[:PORT][,KEY=VALUE...]
                       start a built-in peer (${BUILTIN_PEERS.join(', ')}) on
                       127.0.0.1:PORT (default 8080) with these options (a|b is a
                       list); repeatable. Server peers start before the files,
                       the clients (tcp-client, udp-client, http-client,
                       tcp-crowd, chat-bots) after them. Text options may hold {word}
                       {number} {token} {zh}, drawn from the run's seed. Options
                       that are lists of objects (http routes and requests)
                       take their defaults.
  --stdin FILE=TEXT    give FILE this text on stdin (\\n is a newline), then EOF.
                       Files without --stdin get EOF at once.
  --timeout SECONDS    wall-clock limit of the run (default ${DEFAULT_LIMITS.wallSeconds}, at most ${LIMIT_BOUNDS.max.wallSeconds})
  --json               print every protocol event as one JSON line (NDJSON), packets included
  --no-capture         do not capture the run's packets (text mode sums them up in one line)
  --pcap FILE          write the run's packets to FILE as a pcap (Wireshark, tcpdump -r)
  --seed N             the run's seed: peers draw their faults and per-run payloads from
                       it, so the same seed repeats a run exactly (default: a random one,
                       shown in the summary)
  --lesson SLUG        run that lesson: its processes, peers and checks. Its starter
                       files are used; FILEs given replace those of the same name.
  --solution           with --lesson: start from the lesson's solution files instead
  --lang LANG          with --lesson: the language of the checks' messages (en, zh)
  -h, --help           show this help

Files run in the order given; each starts once the previous one listens, has exited,
or 2 s have passed. Output lines are prefixed with the process name ("client.py | hi").

Exit status: 0 when every learner process exited 0 (or was a server stopped at the end)
and every check passed; 1 otherwise; 2 for a usage error.

Examples:
  npm run sandbox -- run --peer tcp-echo:8080 client.py
  npm run sandbox -- run --peer 'tcp-greeter:7000,greeting=hi {word}' --seed 7 client.py
  npm run sandbox -- run server.py --peer tcp-client:8080
  npm run sandbox -- run --peer http-server:8080,framing=chunked client.py
  npm run sandbox -- run server.py --peer tcp-crowd:8080,connections=100,stalled=2
  npm run sandbox -- run server.py --peer chat-bots:8080,bots=6
  npm run sandbox -- run --stdin ask.py='Ada\\n' ask.py
  npm run sandbox -- run --pcap echo.pcap --peer tcp-echo:8080 client.py
  npm run sandbox -- run --peer udp-echo:9001 --peer udp-relay:9000,target=9001,loss=0.3 \\
      --seed 42 client.py
  npm run sandbox -- run --lesson tcp-server --solution
`;
