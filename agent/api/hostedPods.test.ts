import type { NetworkEvent } from '../../model/events';
import { hostedPodsPage } from './hostedPods';

function flow(src: NetworkEvent['src'], dst: NetworkEvent['dst']): NetworkEvent {
  return { kind: 'flow', time: 1, transport: 'tcp', source: 'pcap', src, dst };
}

describe('hostedPodsPage', () => {
  it('lists the pods identity placed on this node once, and counts pods it could not place', () => {
    const page = hostedPodsPage('n1', [
      flow(
        { ip: '10.0.1.2', pod: 'web-1', namespace: 'shop', node: 'n1' },
        { ip: '10.0.2.2', pod: 'db-1', namespace: 'shop', node: 'n2' }
      ),
      flow(
        { ip: '10.0.1.2', pod: 'web-1', namespace: 'shop', node: 'n1' },
        { ip: '10.0.1.3', pod: 'cart-1', namespace: 'shop', node: 'n1' }
      ),
      flow({ ip: '10.0.1.9', pod: 'lonely', node: 'n1' }, { ip: '1.1.1.1' }),
      flow({ ip: '10.0.3.3', pod: 'somewhere' }, { ip: '10.0.1.2' }),
    ]);
    expect(page).toEqual({
      node: 'n1',
      pods: [{ namespace: 'shop', name: 'web-1' }, { namespace: 'shop', name: 'cart-1' }, { name: 'lonely' }],
      podsWithoutNode: 1,
    });
  });
});
