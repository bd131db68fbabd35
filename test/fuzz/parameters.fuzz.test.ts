/**
 * Property-based fuzzing of the SMS nodes' parameters (issue 10): odd values, as
 * n8n expressions produce them, fed through the items into the real nodes in
 * WorkflowExecute against the simulators over HTTP. Each case mixes valid and
 * invalid items (1–6) and checks the properties in ./harness.ts against a model
 * of what the README promises (./models.ts for the SMS operations, ./records.ts
 * for Mon SMS PRO's contacts, groups and senders, ./connection.ts for the
 * connection options). Every property is enforced: a case that breaks one fails,
 * except where it shows a defect still known to be in the node (KNOWN_DEFECTS in
 * ./harness.ts): such cases are counted in the table's `known` column, listed under it.
 *
 * Reproduce a failure with the seed it prints: FUZZ_SEED=<seed> npx jest test/fuzz
 * (each property's own seed is the base seed plus its index, printed by fast-check).
 */
import fc from 'fast-check';
import type { IDataObject, INodeParameters } from 'n8n-workflow';
import { deduplicationStore, runAsText, runNode } from '../helpers/n8n';
import { fuzzParam } from './values';
import { expectNoSecretIn } from '../helpers/secrets';
import { productProviders, testProvider, type TestProvider } from '../providers/registry';
import { useSimulators } from '../providers/useSimulators';
import type { MonSmsProSimulator } from '../sandbox/monSmsPro.simulator';
import { campaignCase, campaignChoices, judgeCampaignRun } from './campaign';
import { judgeKeyRun, keyCase, keyChoices } from './idempotencyKeys';
import { connectionCase, connectionChoices, judgeConnectionRun } from './connection';
import { listenForRejections, printStats, rejectionsSince, runCase, statsFor, stopListeningForRejections, type Mode, type ProviderView } from './harness';
import { recordCase, recordChoices, RECORD_OPERATIONS_FUZZED } from './records';
import { sendCase, sendChoices, type ProviderModel } from './models';

const SEED = Number(process.env.FUZZ_SEED ?? 20_261_123);
const FACTOR = Number(process.env.FUZZ_RUNS ?? 1);
/** Cases per property: the budget keeps the whole file near a minute on a 2-core machine. */
const runs = (n: number) => Math.max(1, Math.round(n * FACTOR));
let seedIndex = 0;
const options = (numRuns: number): fc.Parameters<unknown> => ({ seed: SEED + seedIndex++, numRuns: runs(numRuns), endOnFailure: false });

/** The providers with a fuzzing model, each with its simulator (secrets that URL and form encoding change). */
const fuzzed = productProviders().filter((p) => p.fuzz);
const simulators = useSimulators(fuzzed);
const mspProvider = testProvider<MonSmsProSimulator>('monSmsPro');
const msp = simulators.sim<MonSmsProSimulator>(mspProvider);

beforeAll(() => listenForRejections());

afterAll(() => {
	stopListeningForRejections();
	printStats('Parameter fuzzing: cases per node and operation', SEED);
});

function viewOf(provider: TestProvider): ProviderView {
	const sim = simulators.sim(provider);
	return {
		node: provider.nodeType,
		providerErrorPattern: new RegExp(`^(${provider.label} (refused|answered|accepted|did not)|Request to |Not sent again)`),
		secrets: provider.secrets(sim),
		credentials: provider.credentials(sim),
		requests: () => sim.requests.length,
		ledger: () => (provider.fuzz?.ledger?.(sim) ?? sim.ledger).map((s) => ({ to: s.to, text: s.text })),
	};
}

async function mspCall(path: string, body: IDataObject): Promise<IDataObject> {
	const response = await fetch(`${msp.baseUrl}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ apiKey: msp.apiKey, ...body }) });
	const answer = (await response.json()) as { data: IDataObject };
	return answer.data;
}

for (const provider of fuzzed) {
	const { fuzz } = provider;
	describe(provider.nodeType, () => {
		const model: ProviderModel = { node: provider.nodeType, name: provider.label, ...fuzz!.model };
		for (const [operation, numRuns] of fuzz!.runs) {
			test(`${operation}: odd parameter values fail their item, naming the field; the rest is sent`, async () => {
				await fc.assert(
					fc.asyncProperty(sendChoices(model, operation), async (choices) => {
						const sim = simulators.sim(provider);
						sim.reset();
						const seeded = operation === 'getStatus' ? await fuzz!.seedMessage!(sim) : undefined;
						const built = sendCase(model, operation, choices, { seededMessageId: seeded, now: Date.now() });
						await runCase(viewOf(provider), built, `${provider.nodeType} ${operation}`);
					}),
					options(numRuns),
				);
			});
		}
	});
}

describe('monSmsPro records', () => {
	for (const [operation, numRuns] of RECORD_OPERATIONS_FUZZED) {
		test(`${operation}: odd parameter values fail their item, naming the field; nothing is written for them`, async () => {
			await fc.assert(
				fc.asyncProperty(recordChoices(operation), async (choices) => {
					msp.reset();
					const seeded = { contactId: String((await mspCall('contact/create', { phone: '2250123459999', name: 'Seed' })).id), groupId: String((await mspCall('group/create', { name: 'Seed group' })).id) };
					// A campaign (of the sender MONSMSPRO) for the lists of campaigns to show.
					if (operation === 'campaign:getAll' || operation === 'sender:getCampaigns') await mspProvider.fuzz!.seedMessage!(msp);
					msp.requests.length = 0;
					const built = recordCase(operation, choices, seeded);
					const result = await runCase(viewOf(mspProvider), built.model, `monSmsPro ${operation}`);
					// A run stopped by the provider's answer outputs nothing, though earlier items were written (n8n's way).
					if (!result.error) built.checkEffects(msp, result, seeded);
				}),
				options(numRuns),
			);
		});
	}
});

/**
 * One run of an options case, in the Continue On Fail mode it names: no unhandled
 * rejection, no secret in what n8n records.
 */
async function runOptionCase(view: ProviderView, items: IDataObject[], parameters: INodeParameters, mode: Mode) {
	const settings = mode === 'stop' ? {} : mode === 'continue' ? { continueOnFail: true } : { onError: 'continueErrorOutput' as const };
	const before = rejectionsSince();
	const started = Date.now();
	const result = await runNode(items, { type: view.node, parameters, credentials: view.credentials, settings });
	await new Promise((resolve) => setImmediate(resolve));
	expect(rejectionsSince(before)).toEqual([]);
	expectNoSecretIn(runAsText(result), view.secrets);
	return { result, started };
}

describe('connection options (read from the first item, for the whole node)', () => {
	const targets: Array<{ provider: TestProvider; parameters: IDataObject; records?: boolean; reset: () => Promise<void> | void }> = [
		...fuzzed.map((provider) => ({
			provider,
			parameters: { ...provider.parameters, operation: 'send', sender: provider.sender, message: 'Hi', to: provider.phone(1) },
			reset: () => simulators.sim(provider).reset(),
		})),
		{
			provider: mspProvider,
			parameters: { resource: 'contact', operation: 'getAll', returnAll: true },
			records: true,
			reset: async () => {
				msp.reset();
				await mspCall('contact/create', { phone: '2250123459999' });
				msp.requests.length = 0;
			},
		},
	];
	for (const target of targets) {
		const label = `${target.provider.nodeType} ${String(target.parameters.resource ?? '')} ${String(target.parameters.operation)}`.replace(/\s+/g, ' ');
		test(`${label}: valid values send every item; invalid ones fail them naming the option, nothing sent`, async () => {
			await fc.assert(
				fc.asyncProperty(connectionChoices, async (choices) => {
					await target.reset();
					const view = viewOf(target.provider);
					const c = connectionCase(choices, target.records === true);
					const parameters = { ...target.parameters, options: c.options } as INodeParameters;
					const { result, started } = await runOptionCase(view, c.items, parameters, choices.mode);
					const outcome = judgeConnectionRun(c, choices.mode, result, view.requests());
					const stats = statsFor(`${label} (connection options)`);
					stats.cases++;
					stats.items += c.items.length;
					stats.ms += Date.now() - started;
					if (!outcome.ok) throw new Error(`${outcome.problem}\noptions ${JSON.stringify(c.items[0])}, mode ${choices.mode}`);
					if (c.verdicts.concurrency === 'ok' && c.verdicts.rate === 'ok' && c.verdicts.timeout === 'ok') {
						stats.sent += c.items.length;
						if (!target.records) expect(view.ledger()).toHaveLength(c.items.length);
					} else {
						if (choices.mode === 'stop') stats.stoppedRuns++;
						stats.inputErrors += choices.mode === 'stop' ? 1 : c.items.length;
						expect(view.ledger()).toHaveLength(0);
					}
				}),
				options(16),
			);
		});
	}
});

describe('campaign-safety options (read from the first item, for the whole run)', () => {
	for (const provider of fuzzed) {
		const label = `${provider.nodeType} sendBulk (campaign options)`;
		test(`${label}: listed numbers suppressed however written, quiet hours hold back or schedule, the cap stops everything, a dry run sends nothing, unusable values named`, async () => {
			await fc.assert(
				fc.asyncProperty(campaignChoices, async (choices) => {
					simulators.sim(provider).reset();
					const view = viewOf(provider);
					const c = campaignCase(choices, (i) => provider.phone(i));
					const parameters = { ...provider.parameters, operation: 'sendBulk', sender: provider.sender, message: 'Hi', phone: '={{ $json.phone }}', options: c.options } as INodeParameters;
					const { result, started } = await runOptionCase(view, c.items, parameters, choices.mode);
					const outcome = judgeCampaignRun(c, choices.mode, result, view.requests(), view.ledger().map((s) => s.to), (i) => provider.phone(i), provider.sms.scheduleAt !== undefined);
					const stats = statsFor(label);
					stats.cases++;
					stats.items += c.items.length;
					stats.ms += Date.now() - started;
					if (!outcome.ok) throw new Error(`${outcome.problem}\nitem 0 ${JSON.stringify(c.items[0])}, mode ${choices.mode}`);
					stats.sent += outcome.sent;
					if (c.bad.length) {
						if (choices.mode === 'stop') stats.stoppedRuns++;
						stats.inputErrors += choices.mode === 'stop' ? 1 : c.items.length;
					}
				}),
				options(24),
			);
		});
	}
});

describe('Idempotency Key (read item by item)', () => {
	let run = 0;
	for (const provider of fuzzed) {
		const label = `${provider.nodeType} sendBulk (idempotency keys)`;
		test(`${label}: keys read as trimmed text, a repeat skipped naming its first item, an empty one sent, a bad one named`, async () => {
			await fc.assert(
				fc.asyncProperty(keyChoices, async (choices) => {
					simulators.sim(provider).reset();
					deduplicationStore.entries.clear();
					const view = viewOf(provider);
					const c = keyCase(choices, (i) => provider.phone(i), ++run);
					const parameters = { ...provider.parameters, operation: 'sendBulk', sender: provider.sender, message: 'Hi', phone: '={{ $json.phone }}', options: { maxRequestsPerSecond: 0, idempotencyKey: fuzzParam('k') } } as INodeParameters;
					const { result, started } = await runOptionCase(view, c.items, parameters, choices.mode);
					const outcome = judgeKeyRun(c, choices.mode, result, view.requests(), view.ledger().map((s) => s.to), (i) => provider.phone(i));
					const stats = statsFor(label);
					stats.cases++;
					stats.items += c.items.length;
					stats.ms += Date.now() - started;
					if (!outcome.ok) throw new Error(`${outcome.problem}\nitems ${JSON.stringify(c.items)}, mode ${choices.mode}`);
					stats.sent += outcome.sent;
				}),
				options(16),
			);
		});
	}
});
