/**
 * The providers as the in-process benchmark sees them: the tests' registry
 * (test/providers/registry.ts) gives the simulator, the node, its credentials and the
 * recipients; here only the raw baseline's requests, built by hand exactly as the node
 * builds them (same URL, headers, body, batch size), so that "node vs raw" compares the
 * same HTTP work. A provider without a raw baseline is left out of the timing runs.
 */
import type { ICredentialDataDecryptedObject, INodeParameters } from 'n8n-workflow';
import type { PhoneFormat } from '../../nodes/shared/phone';
import { productProviders, testProvider, type TestCredentials, type TestProvider, type TestSimulator } from '../../test/providers/registry';
import type { OrangeSimulator } from '../../test/sandbox/orange.simulator';
import type { SimRequest } from '../../test/sandbox/simulator';

/**
 * Requests under way at once, on both sides: the node's default Max Concurrent
 * Requests (nodes/shared/nodeSettings.ts), which the node keeps since NODE_OPTIONS
 * does not set it, and the number of workers of the raw baseline.
 */
export const CONCURRENCY = 4;
/** The node's Options in every run: no pacing (Max Requests Per Second 0), the default concurrency. */
export const NODE_OPTIONS: INodeParameters = { maxRequestsPerSecond: 0 };

/** The registry numbers recipients 0 to 99 999 (TestProvider.phone): no run takes more. */
export const MAX_RECIPIENTS = 100_000;

/** A provider's id in the registry (nodes/providers.ts). */
export type ProviderKey = string;

/** What a simulator hands out, also across processes (simHost.ts): the node's credentials against it. */
export type SimAccess = TestCredentials;

/** A simulator with its ledger (one entry per SMS accepted). */
export type BenchSimulator = Omit<TestSimulator, 'ledger'> & { readonly ledger: Array<{ to: string; text: string; sender?: string; senderId?: string | null }> };

/** One HTTP request of the raw baseline, ready to send. */
export interface RawRequest {
	url: string;
	headers: Record<string, string>;
	body: string;
}

export interface Provider {
	key: ProviderKey;
	name: string;
	/** The node type (package-local name). */
	type: string;
	credentials(sim: SimAccess): Record<string, ICredentialDataDecryptedObject>;
	/** The i-th recipient as the input item holds it. */
	phone(i: number): string;
	/** Recipients per request of a bulk send (the provider's maxRecipientsPerRequest). */
	batchSize: number;
	/** The node's Send Bulk parameters. */
	bulkParameters: INodeParameters;
	/** The requests the node sends for a Send Bulk of these input phones, in order. */
	bulkRequests(sim: SimAccess, phones: string[]): RawRequest[];
	/** A request body with what may differ between two equal sends (a time in a name) made equal. */
	normalizeBody?(body: string): string;
}

const MESSAGE = 'Promo';
const JSON_HEADERS = { accept: 'application/json', 'content-type': 'application/json; charset=utf-8' };
const FORM_HEADERS = { accept: 'application/json', 'content-type': 'application/x-www-form-urlencoded;charset=utf-8' };

function batches<T>(list: T[], size: number): T[][] {
	const out: T[][] = [];
	for (let i = 0; i < list.length; i += size) out.push(list.slice(i, i + size));
	return out;
}

/** A number as the provider's API takes it: +241… (e164) or 241… (digits). */
export const onTheWire = (phone: string, format: PhoneFormat): string => (format === 'digits' ? phone.replace(/^\+/, '') : phone);

/** What the raw baseline needs of a provider: its requests for a Send Bulk, from the node's credential data. */
interface RawBaseline {
	/** `phones` are already as the API takes them; `size` recipients a request. */
	requests(credential: Record<string, string>, sender: string, phones: string[], size: number): RawRequest[];
	normalizeBody?(body: string): string;
	/** The node's credential with what both sides share beyond it (a token the simulator issued). */
	access?(credentials: SimAccess, sim: BenchSimulator): SimAccess;
}

/** The provider's API by hand, by registry id. */
const RAW_BASELINES: Record<string, RawBaseline> = {
	// nodes/MtnCongoSms/mtnCongo.api.ts: one endpoint, `Token` header, {msg, sender, receivers: "a,b,…"}.
	mtnCongo: {
		requests: (c, sender, phones, size) =>
			batches(phones, size).map((batch) => ({
				url: c.baseUrl,
				headers: { ...JSON_HEADERS, authorization: `Token ${c.token}` },
				body: JSON.stringify({ msg: MESSAGE, sender, receivers: batch.join(',') }),
			})),
	},
	// nodes/LmtBulkSms/lmtGroup.api.ts: one form POST to …/push per recipient.
	lmtGroup: {
		requests: (c, sender, phones) =>
			phones.map((phone) => ({
				url: `${c.baseUrl}push`,
				headers: FORM_HEADERS,
				body: new URLSearchParams({ api_key: c.apiKey, password: c.password, message: MESSAGE, sender, phone, flag: 'short_sms' }).toString(),
			})),
	},
	// nodes/IonSmsGateway/ionSmsGateway.api.ts: `x-api-key`, POST …/muldes {emetteur, corps, numeros: [+241…]}.
	ionSmsGateway: {
		requests: (c, sender, phones, size) =>
			batches(phones, size).map((batch) => ({
				url: `${c.baseUrl}muldes`,
				headers: { ...JSON_HEADERS, 'x-api-key': c.apiKey },
				body: JSON.stringify({ emetteur: sender, corps: MESSAGE, numeros: batch }),
			})),
	},
	// nodes/MonSmsPro/monSmsPro.api.ts: POST …/campaign/create, the key in the JSON body,
	// one campaign of at most 1000 contacts per request, named "n8n Send Bulk <UTC minute>".
	monSmsPro: {
		requests: (c, sender, phones, size) =>
			batches(phones, size).map((batch) => ({
				url: `${c.baseUrl}campaign/create`,
				headers: JSON_HEADERS,
				body: JSON.stringify({
					apiKey: c.apiKey,
					contacts: batch.map((phone) => ({ phone })),
					text: MESSAGE,
					senderId: sender,
					name: `n8n Send Bulk ${new Date().toISOString().slice(0, 16).replace('T', ' ')}`,
					type: 'SMS',
				}),
			})),
		normalizeBody: (body) => body.replace(/"n8n Send Bulk \d{4}-\d\d-\d\d \d\d:\d\d"/, '"n8n Send Bulk <minute>"'),
	},
	// nodes/OrangeSms/orange.api.ts: one POST …/smsmessaging/v1/outbound/{sender}/requests per recipient,
	// Bearer token. Both sides use one token the simulator issued and keeps across resets (the node then asks n8n for none).
	orange: {
		requests: (c, sender, phones) =>
			phones.map((phone) => ({
				url: `${c.baseUrl}smsmessaging/v1/outbound/${encodeURIComponent(c.senderAddress)}/requests`,
				headers: { ...JSON_HEADERS, authorization: `Bearer ${c.accessToken}` },
				body: JSON.stringify({ outboundSMSMessageRequest: { address: `tel:${phone}`, senderAddress: c.senderAddress, senderName: sender, outboundSMSTextMessage: { message: MESSAGE } } }),
			})),
		access: (credentials, sim) => ({ ...credentials, orangeSmsApi: { ...credentials.orangeSmsApi, accessToken: (sim as unknown as OrangeSimulator).grantToken(true) } }),
	},
};

function benchProvider(p: TestProvider, raw: RawBaseline): Provider {
	const batchSize = p.sms.maxRecipientsPerRequest;
	return {
		key: p.id,
		name: p.label,
		type: p.nodeType,
		credentials: (access) => access,
		phone: (i) => p.phone(i),
		batchSize,
		bulkParameters: { ...p.parameters, operation: 'sendBulk', sender: p.sender, phone: '={{ $json.phone }}', message: MESSAGE, options: NODE_OPTIONS },
		bulkRequests: (access, phones) =>
			raw.requests(
				access[p.credentialType] as Record<string, string>,
				p.sender,
				phones.map((phone) => onTheWire(phone, p.sms.phoneFormat)),
				batchSize,
			),
		normalizeBody: raw.normalizeBody,
	};
}

/** The registry's providers that have a raw baseline, in its order. */
export const PROVIDERS: Provider[] = productProviders().flatMap((p) => (RAW_BASELINES[p.id] ? [benchProvider(p, RAW_BASELINES[p.id])] : []));
/** Those without one: not timed. */
export const WITHOUT_BASELINE: string[] = productProviders().filter((p) => !RAW_BASELINES[p.id]).map((p) => p.label);

/** A new simulator for the provider, not started (the registry's: credit enough for any run). */
export function createSimulator(key: ProviderKey): BenchSimulator {
	return testProvider(key).createSimulator() as BenchSimulator;
}

/** The node's credentials against a started simulator. */
export function accessOf(key: ProviderKey, sim: BenchSimulator): SimAccess {
	const credentials = testProvider(key).credentials(sim as TestSimulator);
	return RAW_BASELINES[key]?.access?.(credentials, sim) ?? credentials;
}

/** What reached the simulator since its last reset, sorted: to tell whether two runs sent the same. */
export interface Received {
	/** method, path, the headers that matter, body: one line per request. */
	requests: string[];
	/** recipient | text | sender: one line per SMS accepted. */
	ledger: string[];
}

function requestLine(req: SimRequest, normalize: (body: string) => string): string {
	const h = req.headers;
	const headers = ['content-type', 'accept', 'authorization', 'x-api-key'].map((name) => `${name}=${String(h[name] ?? '')}`).join(' ');
	return `${req.method} ${req.path} ${headers} ${normalize(req.rawBody)}`;
}

export function received(provider: Provider, sim: BenchSimulator): Received {
	const normalize = provider.normalizeBody ?? ((body: string) => body);
	return {
		requests: sim.requests.map((r) => requestLine(r, normalize)).sort(),
		ledger: sim.ledger.map((s) => `${s.to}|${s.text}|${s.sender ?? s.senderId ?? ''}`).sort(),
	};
}

/** Throws unless the node's run reached the simulator exactly as the raw baseline did. */
export function assertSameTraffic(what: string, raw: Received, node: Received): void {
	const differ = (name: string, a: string[], b: string[]) => {
		if (a.length !== b.length) return `${name}: raw ${a.length}, node ${b.length}`;
		const i = a.findIndex((line, k) => line !== b[k]);
		return i < 0 ? undefined : `${name} differ, first at sorted #${i}:\n    raw:  ${a[i].slice(0, 300)}\n    node: ${b[i].slice(0, 300)}`;
	};
	const problem = differ('requests', raw.requests, node.requests) ?? differ('SMS accepted', raw.ledger, node.ledger);
	if (problem) throw new Error(`${what}: the node did not send what the raw baseline sent. ${problem}`);
}
