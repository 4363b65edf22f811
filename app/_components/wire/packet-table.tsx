'use client';

import { useId, useState } from 'react';
import { arrowKind } from '../../../lib/client/wire/arrow-kind.ts';
import { destinationOf, hostPort, sourceOf } from '../../../lib/client/wire/endpoints.ts';
import type { Endpoint, OwnerLabeler } from '../../../lib/client/wire/endpoints.ts';
import { flagText } from '../../../lib/client/wire/flags.ts';
import { formatTime } from '../../../lib/client/wire/format.ts';
import type { WirePacket } from '../../../lib/client/wire/wire-packet.ts';
import { useUiText } from '../ui-text-context.tsx';
import { faultTags } from './fault-tags.ts';
import styles from './packet-table.module.css';

/** Rows per page: a real table for screen readers, but never thousands of rows at once. */
const PAGE_ROWS = 100;

/**
 * Every packet as a table (the diagram's text alternative): time, from → to, flags, seq/ack,
 * length, window and the payload preview, a page of rows at a time.
 */
export function PacketTable({
  packets,
  total,
  labelOf,
}: {
  packets: readonly WirePacket[];
  /** Packets before the connection filter, for the caption. */
  total: number;
  labelOf: OwnerLabeler;
}) {
  const t = useUiText();
  const captionId = useId();
  const [page, setPage] = useState(0);
  const pages = Math.max(1, Math.ceil(packets.length / PAGE_ROWS));
  const current = Math.min(page, pages - 1);
  const start = current * PAGE_ROWS;
  const rows = packets.slice(start, start + PAGE_ROWS);
  const column = t.wire.column;
  return (
    <div className={styles.wrap}>
      <div
        className={styles.scroll}
        role="region"
        aria-labelledby={captionId}
        tabIndex={0}
        data-testid="packet-table"
      >
        <table className={styles.table}>
          <caption id={captionId} className={styles.caption}>
            {t.wire.tableCaption(packets.length, total)}
          </caption>
          <thead>
            <tr>
              <th scope="col">{column.n}</th>
              <th scope="col">{column.time}</th>
              <th scope="col">{column.from}</th>
              <th scope="col">{column.to}</th>
              <th scope="col">{column.protocol}</th>
              <th scope="col">{column.flags}</th>
              <th scope="col" className={styles.number}>
                {column.seq}
              </th>
              <th scope="col" className={styles.number}>
                {column.ack}
              </th>
              <th scope="col" className={styles.number}>
                {column.len}
              </th>
              <th scope="col" className={styles.number}>
                {column.win}
              </th>
              <th scope="col">{column.info}</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((packet) => (
              <PacketTableRow key={packet.n} packet={packet} labelOf={labelOf} />
            ))}
          </tbody>
        </table>
      </div>
      {pages > 1 && (
        <nav className={styles.pager} aria-label={t.wire.table}>
          <button
            type="button"
            className="btn btn-ghost"
            disabled={current === 0}
            onClick={() => setPage(current - 1)}
          >
            ← {t.wire.previousPage}
          </button>
          <span aria-live="polite">
            {t.wire.rows(start + 1, start + rows.length, packets.length)}
          </span>
          <button
            type="button"
            className="btn btn-ghost"
            disabled={current === pages - 1}
            onClick={() => setPage(current + 1)}
          >
            {t.wire.nextPage} →
          </button>
        </nav>
      )}
    </div>
  );
}

function PacketTableRow({ packet, labelOf }: { packet: WirePacket; labelOf: OwnerLabeler }) {
  const t = useUiText();
  const states = [packet.srcState, packet.dstState].some(Boolean)
    ? `${packet.srcState ?? '·'} → ${packet.dstState ?? '·'}`
    : '';
  return (
    <tr data-kind={arrowKind(packet)} data-n={packet.n}>
      <th scope="row" className={styles.number}>
        {packet.n}
      </th>
      <td className={styles.number}>{formatTime(packet.t)}</td>
      <td>
        <EndpointCell endpoint={sourceOf(packet)} labelOf={labelOf} />
      </td>
      <td>
        <EndpointCell endpoint={destinationOf(packet)} labelOf={labelOf} />
      </td>
      <td>{packet.proto.toUpperCase()}</td>
      <td className={styles.flags}>{flagText(packet.flags)}</td>
      <td className={styles.number}>{packet.seq ?? ''}</td>
      <td className={styles.number}>{packet.ack ?? ''}</td>
      <td className={styles.number}>{packet.len}</td>
      <td className={styles.number}>{packet.win ?? ''}</td>
      <td className={styles.info}>
        {packet.retrans && <span className={styles.tag}>{t.wire.retrans}</span>}
        {faultTags(packet, t).map((tag) => (
          <span key={tag} className={styles.tag}>
            {tag}
          </span>
        ))}
        {packet.tls && <span className={styles.tls}>TLS {packet.tls}</span>}
        {packet.preview && <code className={styles.preview}>“{packet.preview}”</code>}
        {packet.icmp && <span>{packet.icmp}</span>}
        {states && <span className={styles.states}>{states}</span>}
      </td>
    </tr>
  );
}

function EndpointCell({ endpoint, labelOf }: { endpoint: Endpoint; labelOf: OwnerLabeler }) {
  if (endpoint.owner === undefined)
    return <span className={styles.address}>{hostPort(endpoint.addr, endpoint.port)}</span>;
  return (
    <>
      <span className={styles.owner}>{labelOf(endpoint.owner)}</span>{' '}
      <span className={styles.port}>:{endpoint.port}</span>
    </>
  );
}
