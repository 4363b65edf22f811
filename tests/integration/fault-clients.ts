/** Learner programs shared by the fault-peer tests. */
import { py } from './sandbox-harness.ts';

/** Sends datagrams "msg 01" … "msg 20" through the relay, then prints the numbers that came back. */
export const NUMBERED_UDP_CLIENT = py`
  import socket
  sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
  sock.settimeout(1.5)
  for number in range(1, 21):
      sock.sendto(b"msg %02d" % number, ("127.0.0.1", 9000))
  got = []
  try:
      while True:
          data, _ = sock.recvfrom(100)
          got.append(int(data.split()[1]))
  except socket.timeout:
      pass
  print("got", got)
`;
