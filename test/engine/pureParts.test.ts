/** The engine's pure parts: templates, batch plans, per-recipient results. */
import { chunk, partsSentBefore, planBatches, type BatchMember } from '../../nodes/shared/batchPlan';
import { ItemFailure } from '../../nodes/shared/failures';
import { acceptedOutcome, resultsFor } from '../../nodes/shared/recipientResults';
import { fillTemplate, placeholderCount, placeholdersIn } from '../../nodes/shared/templates';
import { analyzeText } from '../../nodes/shared/text';

describe('templates', () => {
	test('placeholders are found in order; the count is the highest one', () => {
		expect(placeholdersIn('Hi :P2, :P1 and :P2')).toEqual([2, 1, 2]);
		expect(placeholderCount('Hi :P2', 5, 'X')).toBe(2);
		expect(placeholderCount('No placeholder', 5, 'X')).toBe(0);
	});
	test('a placeholder beyond the provider’s limit, or :P0, is refused with the limit', () => {
		expect(() => placeholderCount('Hi :P6', 5, 'LMT')).toThrow('The Message uses :P6; LMT fills :P1 to :P5 only');
		expect(() => placeholderCount('Hi :P0', 5, 'LMT')).toThrow('The Message uses :P0');
	});
	test('filling leaves nothing for a missing value', () => {
		expect(fillTemplate(':P1-:P2-:P3', ['a', 'b'])).toBe('a-b-');
	});
});

describe('batch plans', () => {
	const member = (itemIndex: number, to: string, group = 'g'): BatchMember => ({
		itemIndex,
		to,
		request: { operation: 'sendBulk', sender: 'S', text: 't', options: {} },
		analysis: analyzeText('t'),
		group,
		key: `k${itemIndex}`,
	});
	test('groups never share a request; each request carries at most the maximum', () => {
		const plan = planBatches([member(0, 'a'), member(1, 'b', 'h'), member(2, 'c'), member(3, 'd')], 2, false);
		expect(plan.batches.map((b) => b.map((m) => m.itemIndex))).toEqual([[0, 2], [3], [1]]);
		expect(plan.duplicates).toEqual([]);
	});
	test('duplicates within a group are planned once; the same number in another group is not a duplicate', () => {
		const plan = planBatches([member(0, 'a'), member(1, 'a'), member(2, 'a', 'h')], 5, true);
		expect(plan.batches.map((b) => b.map((m) => m.itemIndex))).toEqual([[0], [2]]);
		expect(plan.duplicates).toEqual([[1, 0]]);
	});
	test('chunk and the message of a part failing after earlier parts went out', () => {
		expect(chunk([1, 2, 3], 2)).toEqual([[1, 2], [3]]);
		const failure = partsSentBefore(new ItemFailure(0, 'provider', 'X refused'), 2, 3);
		expect(failure.message).toBe('X refused; parts 1 to 2 of the 3 numbered SMS were accepted and are not resent on retry, the later parts were not sent');
	});
});

describe('per-recipient results', () => {
	test('an answer without them accepted every recipient', () => {
		expect(resultsFor({ status: 'accepted', messageId: 'm', providerStatus: 'OK' }, ['a', 'b'], 'X').map((r) => r.result)).toEqual(['accepted', 'accepted']);
	});
	test('a recipient left out is unknown; an accepted one keeps its own id and status', () => {
		const outcome = { status: 'accepted' as const, messageId: 'm', providerStatus: 'OK', recipients: [{ to: 'a', result: 'accepted' as const, messageId: 'ma', status: 'sent' as const }] };
		const [a, b] = resultsFor(outcome, ['a', 'b'], 'X');
		expect(b).toMatchObject({ to: 'b', result: 'unknown' });
		expect(acceptedOutcome(outcome, a as typeof a & { result: 'accepted' })).toEqual({ status: 'sent', messageId: 'ma', providerStatus: 'OK' });
	});
});
