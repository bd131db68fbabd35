/**
 * The run ledger (nodes/shared/runLedger.ts) as n8n's Retry On Fail and a Retry of a saved
 * execution use it: a new ledger on the same node context finds what an earlier attempt
 * recorded, whatever form it was recorded in, including the form of earlier versions
 * (a key → outcome index map only). The node-level behaviour: test/workflows/smsNode.behaviour.test.ts.
 */
import fc from 'fast-check';
import type { IContextObject } from 'n8n-workflow';
import { fingerprint, RunLedger } from '../../nodes/shared/runLedger';

const outcome = (messageId: string | null) => ({ status: 'accepted', messageId, providerStatus: 'ok' });

test('what a request of several sends recorded is found by the next attempt, and by this one after the mark', () => {
	fc.assert(
		fc.property(fc.array(fc.integer({ min: 1, max: 5 }), { minLength: 1, maxLength: 12 }), fc.boolean(), (sizes, alike) => {
			const context: IContextObject = {};
			const ledger = new RunLedger(context, 0);
			expect(ledger.fresh).toBe(true);
			let next = 0;
			const requests = sizes.map((size, r) => {
				const keys = Array.from({ length: size }, () => fingerprint(['send', next++]));
				expect(ledger.acceptedOutcome(keys[0])).toBeUndefined();
				ledger.markAccepted(keys, outcome(alike ? null : `m${r}`));
				// Found at once, as a lookup after a mark in the same run would be.
				expect(ledger.acceptedOutcome(keys[size - 1])).toEqual(outcome(alike ? null : `m${r}`));
				return keys;
			});
			// Context as n8n saves it with the execution: JSON.
			const retried = new RunLedger(JSON.parse(JSON.stringify(context)) as IContextObject, 0);
			expect(retried.fresh).toBe(false);
			requests.forEach((keys, r) => {
				for (const key of keys) expect(retried.acceptedOutcome(key)).toEqual(outcome(alike ? null : `m${r}`));
			});
			expect(retried.acceptedOutcome(fingerprint(['send', next]))).toBeUndefined();
			// Answers alike are kept once.
			if (alike) expect((context.outcomesByRun as Record<string, unknown[]>)['0']).toHaveLength(1);
		}),
		{ numRuns: 300 },
	);
});

test('a context saved by an earlier version (keys one by one) is read; other run indexes are apart', () => {
	const key = fingerprint(['send', 1]);
	const context: IContextObject = { outcomesByRun: { '0': [outcome('old')] }, acceptedByRun: { '0': { [key]: 0 } }, unsureByRun: { '0': {} } };
	expect(new RunLedger(context, 0).acceptedOutcome(key)).toEqual(outcome('old'));
	expect(new RunLedger(context, 1).acceptedOutcome(key)).toBeUndefined();
});

test('keys that are not fingerprints (a space in them) are kept one by one, and still found', () => {
	const context: IContextObject = {};
	const ledger = new RunLedger(context, 0);
	ledger.markAccepted(['a b', 'c'], outcome('x'));
	const retried = new RunLedger(context, 0);
	expect(retried.acceptedOutcome('a b')).toEqual(outcome('x'));
	expect(retried.acceptedOutcome('c')).toEqual(outcome('x'));
	expect(retried.acceptedOutcome('a')).toBeUndefined();
});

test('an unsure send later accepted is no longer unsure', () => {
	const ledger = new RunLedger({}, 0);
	const [a, b] = [fingerprint(['a']), fingerprint(['b'])];
	ledger.markUnsure(a, 'time-out');
	ledger.markUnsure(b, 'time-out');
	ledger.markAccepted([a, b], outcome('m'));
	expect(ledger.unsureAttempt(a)).toBeUndefined();
	expect(ledger.unsureAttempt(b)).toBeUndefined();
});

test('an unsure send recorded by an earlier attempt, then accepted by this one, is no longer unsure', () => {
	const context: IContextObject = {};
	const key = fingerprint(['a']);
	new RunLedger(context, 0).markUnsure(key, 'time-out');
	const retried = new RunLedger(JSON.parse(JSON.stringify(context)) as IContextObject, 0);
	expect(retried.unsureAttempt(key)).toBe('time-out');
	retried.markAccepted([key], outcome('m'));
	expect(retried.unsureAttempt(key)).toBeUndefined();
});

test('an outcome is kept once while each answer serialises as the one before, and each send finds its own', () => {
	// Outcomes drawn from a few shapes, so that runs of alike answers come up, and from any JSON.
	const shapes = fc.oneof(
		fc.constantFrom(outcome(null), outcome('m1'), { ...outcome(null), extra: { n: 1 } }, { providerStatus: 'ok', status: 'accepted', messageId: null }),
		fc.dictionary(fc.string({ maxLength: 3 }), fc.jsonValue({ maxDepth: 2 }), { maxKeys: 3 }),
	);
	fc.assert(
		fc.property(fc.array(shapes, { minLength: 1, maxLength: 20 }), (answers) => {
			const context: IContextObject = {};
			const ledger = new RunLedger(context, 0);
			const keys = answers.map((answer, i) => {
				const key = fingerprint(['send', i]);
				ledger.markAccepted([key], JSON.parse(JSON.stringify(answer)) as object);
				return key;
			});
			const retried = new RunLedger(JSON.parse(JSON.stringify(context)) as IContextObject, 0);
			keys.forEach((key, i) => expect(JSON.stringify(retried.acceptedOutcome(key))).toBe(JSON.stringify(answers[i])));
			const changes = answers.filter((answer, i) => i === 0 || JSON.stringify(answer) !== JSON.stringify(answers[i - 1])).length;
			expect((context.outcomesByRun as Record<string, unknown[]>)['0']).toHaveLength(changes);
		}),
		{ numRuns: 500 },
	);
});
