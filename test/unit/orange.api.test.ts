/**
 * Orange's answer readers on answers as Orange's guide shows them (the node around them,
 * over HTTP to the simulator: test/workflows/orange.test.ts).
 */
import fc from 'fast-check';
import { messageIdOf, orangeProvider } from '../../nodes/OrangeSms/orange.api';
import type { HttpResponse } from '../../nodes/shared/transport';

const answer = (status: number, body: unknown): HttpResponse => ({ status, headers: {}, text: JSON.stringify(body) }) as HttpResponse;

/** The message id as the guide defines it: the last segment of resourceURL, URL-decoded. */
const lastSegment = (url: string) => decodeURIComponent(url.replace(/\/+$/, '').split('/').pop() ?? '');

test('messageIdOf is the last segment of resourceURL, decoded, whatever the slashes', () => {
	expect(messageIdOf('https://api.orange.com/smsmessaging/v1/outbound/tel%3A%2B2250000/requests/abc-123')).toBe('abc-123');
	expect(messageIdOf('https://x/requests/a%20b//')).toBe('a b');
	expect(messageIdOf('abc')).toBe('abc');
	expect(messageIdOf('///')).toBe('');
	const segment = fc.stringMatching(/^[A-Za-z0-9%._~-]{0,12}$/).filter((s) => {
		try {
			decodeURIComponent(s);
			return true;
		} catch {
			return false;
		}
	});
	fc.assert(
		fc.property(fc.array(fc.oneof(segment, fc.constant('')), { maxLength: 6 }), fc.nat(3), (segments, trailing) => {
			const url = segments.join('/') + '/'.repeat(trailing);
			expect(messageIdOf(url)).toBe(lastSegment(url));
		}),
		{ numRuns: 2000 },
	);
});

test('a send answer is read for its resourceURL, the echoed address a list or a string', () => {
	const resourceURL = 'https://api.orange.com/smsmessaging/v1/outbound/tel%3A%2B2250000/requests/m-1';
	for (const address of [['tel:+2250700000001'], 'tel:+2250700000001', undefined]) {
		const outcome = orangeProvider.parseSend(answer(201, { outboundSMSMessageRequest: { address, senderAddress: 'tel:+2250000', resourceURL } }), undefined as never);
		expect(outcome).toMatchObject({ status: 'accepted', messageId: 'm-1', providerStatus: 'Created' });
	}
	expect(() => orangeProvider.parseSend(answer(201, { outboundSMSMessageRequest: { address: ['tel:+2250700000001'] } }), undefined as never)).toThrow(/unexpected|resourceURL/i);
});
