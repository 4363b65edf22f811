/**
 * The check helper library lessons import through `@handshake/lesson`: pure functions over a
 * finished RunRecord (output, peer reports, packets) and the outcomes checks return.
 */
export { stdoutLines, printedLine, lastException } from './output.ts';
export { reportsOf, receivedText, sentText } from './reports.ts';
export {
  tcpPackets,
  udpPackets,
  hasFlag,
  isSyn,
  fromClient,
  tcpConnections,
  connectionTo,
  datagrams,
  type CheckedFlag,
  type Endpoint,
  type TcpConnection,
} from './packets.ts';
export { pass, fail, noCapture, processFinished } from './outcomes.ts';
export { explainEnd, withEnd } from './explain-end.ts';
export {
  crowdOf,
  crowdConnections,
  firstFrom,
  unclosedAfterFin,
  serverClosedEach,
  type Crowd,
  type ServerClosedOptions,
} from './crowd.ts';
