/**
 * The four providers as the in-process benchmark sees them: their simulator, the
 * node's credential, the input items of a bulk send, and the raw baseline's
 * requests, built by hand exactly as the node builds them (same URL, headers,
 * body, batch size), so that "node vs raw" compares the same HTTP work.
 */
import type { ICredentialDataDecryptedObject, INodeParameters } from 'n8n-workflow';
import { IonSmsGatewaySimulator } from '../../test/sandbox/ionSmsGateway.simulator';
import { LmtGroupSimulator } from '../../test/sandbox/lmtGroup.simulator';
import { MonSmsProSimulator } from '../../test/sandbox/monSmsPro.simulator';
import { MtnCongoSimulator } from '../../test/sandbox/mtnCongo.simulator';
import type { ProviderSimulator, SimRequest } from '../../test/sandbox/simulator';

/**
 * Requests under way at once, on both sides: the node's default Max Concurrent
 * Requests (nodes/shared/nodeSettings.ts), which the node keeps since NODE_OPTIONS
 * does not set it, and the number of workers of the raw baseline.
 */
export const CONCURRENCY = 4;
/** The node's Options in every run: no pacing (Max Requests Per Second 0), the default concurrency. */
export const NODE_OPTIONS: INodeParameters = { maxRequestsPerSecond: 0 };

export type ProviderKey = 'mtn' | 'lmt' | 'ion' | 'msp';

/** What a simulator hands out: where it listens and the secrets its credential needs. */
export interface SimAccess {
	baseUrl: string;
	secrets: Record<string, string>;
}

/** A simulator with its ledger (one entry per SMS accepted). */
export type BenchSimulator = ProviderSimulator & { ledger: Array<{ to: string; text: string; sender?: string; senderId?: string | null }> };

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

const bulk = (sender: string, more: INodeParameters = {}): INodeParameters => ({
	...more,
	operation: 'sendBulk',
	sender,
	phone: '={{ $json.phone }}',
	message: MESSAGE,
	options: NODE_OPTIONS,
});

export const PROVIDERS: Record<ProviderKey, Provider> = {
	mtn: {
		key: 'mtn',
		name: 'MTN Congo',
		type: 'mtnCongoSms',
		credentials: (sim) => ({ mtnCongoSmsApi: { token: sim.secrets.token, baseUrl: sim.baseUrl, defaultCountry: 'CG' } }),
		phone: (i) => `2420${String(60_000_000 + i)}`,
		batchSize: 1000,
		bulkParameters: bulk('BES'),
		// nodes/MtnCongoSms/mtnCongo.api.ts: one endpoint, `Token` header, {msg, sender, receivers: "a,b,…"}.
		bulkRequests: (sim, phones) =>
			batches(phones, 1000).map((batch) => ({
				url: sim.baseUrl,
				headers: { ...JSON_HEADERS, authorization: `Token ${sim.secrets.token}` },
				body: JSON.stringify({ msg: MESSAGE, sender: 'BES', receivers: batch.join(',') }),
			})),
	},
	lmt: {
		key: 'lmt',
		name: 'LMT BulkSMS',
		type: 'lmtBulkSms',
		credentials: (sim) => ({ lmtBulkSmsApi: { apiKey: sim.secrets.apiKey, password: sim.secrets.password, baseUrl: sim.baseUrl, defaultCountry: 'CM' } }),
		phone: (i) => `2376${String(70_000_000 + i)}`,
		batchSize: 1,
		bulkParameters: bulk('BES'),
		// nodes/LmtBulkSms/lmtGroup.api.ts: one form POST to …/push per recipient.
		bulkRequests: (sim, phones) =>
			phones.map((phone) => ({
				url: `${sim.baseUrl}push`,
				headers: FORM_HEADERS,
				body: new URLSearchParams({ api_key: sim.secrets.apiKey, password: sim.secrets.password, message: MESSAGE, sender: 'BES', phone, flag: 'short_sms' }).toString(),
			})),
	},
	ion: {
		key: 'ion',
		name: 'ION SMS Gateway',
		type: 'ionSmsGateway',
		credentials: (sim) => ({ ionSmsGatewayApi: { apiKey: sim.secrets.apiKey, baseUrl: sim.baseUrl, defaultCountry: 'GA' } }),
		phone: (i) => `+24106${String(100_000 + (i % 1_000_000)).slice(-6)}`,
		batchSize: 1000,
		bulkParameters: bulk('BES'),
		// nodes/IonSmsGateway/ionSmsGateway.api.ts: `x-api-key`, POST …/muldes {emetteur, corps, numeros: [+241…]}.
		bulkRequests: (sim, phones) =>
			batches(phones, 1000).map((batch) => ({
				url: `${sim.baseUrl}muldes`,
				headers: { ...JSON_HEADERS, 'x-api-key': sim.secrets.apiKey },
				body: JSON.stringify({ emetteur: 'BES', corps: MESSAGE, numeros: batch }),
			})),
	},
	msp: {
		key: 'msp',
		name: 'Mon SMS PRO',
		type: 'monSmsPro',
		credentials: (sim) => ({ monSmsProApi: { apiKey: sim.secrets.apiKey, baseUrl: sim.baseUrl, defaultCountry: 'CI' } }),
		// Côte d'Ivoire mobiles: +225 07 then 8 digits; the node sends them as digits (225…).
		phone: (i) => `+22507${String(i).padStart(8, '0')}`,
		batchSize: 1000,
		bulkParameters: bulk('MONSMSPRO', { resource: 'campaign' }),
		// nodes/MonSmsPro/monSmsPro.api.ts: POST …/campaign/create, the key in the JSON body,
		// one campaign of at most 1000 contacts per request, named "n8n Send Bulk <UTC minute>".
		bulkRequests: (sim, phones) =>
			batches(phones, 1000).map((batch) => ({
				url: `${sim.baseUrl}campaign/create`,
				headers: JSON_HEADERS,
				body: JSON.stringify({
					apiKey: sim.secrets.apiKey,
					contacts: batch.map((phone) => ({ phone: phone.replace(/^\+/, '') })),
					text: MESSAGE,
					senderId: 'MONSMSPRO',
					name: `n8n Send Bulk ${new Date().toISOString().slice(0, 16).replace('T', ' ')}`,
					type: 'SMS',
				}),
			})),
		normalizeBody: (body) => body.replace(/"n8n Send Bulk \d{4}-\d\d-\d\d \d\d:\d\d"/, '"n8n Send Bulk <minute>"'),
	},
};

/** A new simulator for the provider; Mon SMS PRO gets credit enough for any run. */
export function createSimulator(key: ProviderKey): BenchSimulator {
	switch (key) {
		case 'mtn':
			return new MtnCongoSimulator();
		case 'lmt':
			return new LmtGroupSimulator();
		case 'ion':
			return new IonSmsGatewaySimulator();
		case 'msp':
			return new MonSmsProSimulator({ credit: 1e12 }) as BenchSimulator;
	}
}

export function accessOf(key: ProviderKey, sim: BenchSimulator): SimAccess {
	if (sim instanceof MtnCongoSimulator) return { baseUrl: sim.baseUrl, secrets: { token: sim.token } };
	if (sim instanceof LmtGroupSimulator) return { baseUrl: sim.baseUrl, secrets: { apiKey: sim.apiKey, password: sim.password } };
	if (sim instanceof IonSmsGatewaySimulator || sim instanceof MonSmsProSimulator) return { baseUrl: sim.baseUrl, secrets: { apiKey: sim.apiKey } };
	throw new Error(`no simulator access for ${key}`);
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
