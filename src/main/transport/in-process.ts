// The API as direct calls for the CLI and tests: same validation and the same copy semantics as a real carrier.
import type { Transport } from '../../shared/client';
import { MiraError } from '../../shared/errors';
import type { EventBus, Router } from './router';

export class InProcessTransport implements Transport {
  constructor(private readonly router: Router, private readonly bus: EventBus, private readonly opts: { clone?: boolean } = {}) {}

  async request(method: string, params: unknown): Promise<unknown> {
    try {
      const input = this.opts.clone ? roundTrip(params) : params;
      const out = await this.router.call(method, input, { via: 'in-process' });
      // A JSON round trip makes in-process results look exactly like what a WebSocket client receives.
      return this.opts.clone ? roundTrip(out) : out;
    } catch (e) {
      throw MiraError.from(e);
    }
  }

  subscribe(listener: (event: string, data: unknown) => void): () => void {
    return this.bus.subscribe((ev, data) => listener(ev, this.opts.clone ? roundTrip(data) : data));
  }
}

function roundTrip(v: unknown): unknown {
  return v === undefined ? undefined : JSON.parse(JSON.stringify(v));
}
