/**
 * The run ledger's and the send journal's keys (nodes/shared/runLedger.ts): a Retry
 * finds what an earlier attempt recorded only if the key of a send stays the same,
 * also across versions of this package (an execution saved by one, retried by the
 * next). The key is the first 22 characters of the SHA-256 of the parts' JSON in
 * base64url, whatever the function keeps in memory between calls.
 */
import { hash } from 'node:crypto';
import fc from 'fast-check';
import { fingerprint } from '../../nodes/shared/runLedger';

const reference = (parts: unknown) => hash('sha256', JSON.stringify(parts), 'base64url').slice(0, 22);

describe('fingerprint', () => {
	it('is the first 22 base64url characters of the SHA-256 of the JSON, for any value', () => {
		fc.assert(
			fc.property(fc.jsonValue(), (value) => {
				expect(fingerprint(value)).toBe(reference(value));
			}),
			{ numRuns: 5000 },
		);
	});

	it('answers right when calls alternate between a few values (the memory of recent calls)', () => {
		fc.assert(
			fc.property(fc.array(fc.integer({ min: 0, max: 3 }), { minLength: 1, maxLength: 40 }), (picks) => {
				const values = [['group', 'text'], ['key', 1], ['key', 2], 'other'];
				for (const pick of picks) expect(fingerprint(values[pick])).toBe(reference(values[pick]));
			}),
		);
	});
});
