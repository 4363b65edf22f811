/** The in-process bus (tests/integration/classroom has LISTEN/NOTIFY on PostgreSQL). */
import { memoryRunEventBus } from './run-events.ts';
import { runEventBusSuite } from './run-events.suite.ts';

runEventBusSuite('in-process', async () => {
  // One process: "replicas" share the one bus.
  const bus = memoryRunEventBus();
  return { buses: [bus, bus], close: () => bus.close() };
});
