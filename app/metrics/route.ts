/** GET /metrics: the app's Prometheus metrics, behind HANDSHAKE_METRICS_TOKEN when it is set. */
import { appMetrics } from '../../lib/server/ops/app-metrics.ts';
import { handleMetrics } from '../../lib/server/ops/health-routes.ts';

export const dynamic = 'force-dynamic';

/** The exposition text. */
export function GET(request: Request): Promise<Response> {
  const token = process.env.HANDSHAKE_METRICS_TOKEN?.trim() ?? '';
  return handleMetrics(request, { registry: appMetrics().registry, token });
}
