/**
 * The workflows `npm run bench:n8n` compares, per provider: our node's bulk send, and what a
 * user builds without this package from the provider's document with n8n's HTTP Request node:
 * (a) one request per item, (b) the same with its Batching option, (c) a Code node that packs
 * the numbers, then one request per pack (where the API takes many numbers in one request).
 * Every variant sends its own text, so the simulators' ledgers tell the variants apart.
 */
import type { Sandbox } from '../../test/sandbox/sandbox';
import type { SandboxCredential } from '../../test/real-n8n/instance';

export type VariantKey = 'ours' | 'perItem' | 'batched' | 'packed';
export type ProviderKey = 'mtn' | 'lmt' | 'ion' | 'msp';

export const VARIANTS: Record<VariantKey, string> = {
	ours: 'our node (Send Bulk)',
	perItem: '(a) HTTP Request, one request per item',
	batched: '(b) HTTP Request, Batching',
	packed: '(c) Code packs + HTTP Request per pack',
};

/** Our node's default Max Concurrent Requests; (b) starts this many requests per batch. */
export const OUR_CONCURRENCY = 4;
/** The smallest Batch Interval that throttles: n8n's Batching only spaces the starts of requests (0 turns it off). */
export const BATCH_INTERVAL_MS = 1;
/** Numbers per request where the API takes a list (our node's batch size for these providers). */
export const PACK_SIZE = 1000;

export const SENDER = 'BENCH';
export const messageOf = (variant: VariantKey) => `Votre code 4821 bench_${variant}`;

type Parameters = Record<string, unknown>;

interface HttpPlan {
	/** HTTP Request parameters for one request, reading the item's `phone` (or the pack's field). */
	request: (message: string) => Parameters;
	/** The HTTP Request node's credential, when the provider takes its key in a header. */
	credential?: SandboxCredential;
}

export interface BenchProvider {
	key: ProviderKey;
	name: string;
	/** Our node's type and credential. */
	nodeType: string;
	credential: { type: string; id: string; name: string };
	/** Extra parameters of our node (resource, sender). */
	nodeParameters: Parameters;
	sender: string;
	/** The i-th recipient, written as the provider's ledger records it from our node. */
	phoneCode: string;
	phone: (i: number) => string;
	perItem: HttpPlan;
	/** The Code node's packing (JavaScript returning the packs) and the request per pack; absent: one number per request by nature. */
	packed?: HttpPlan & { packCode: string };
}

const field = (name: string, value: string) => ({ name, value });
const keypairJson = (url: string, fields: Array<{ name: string; value: string }>, auth: boolean): Parameters => ({
	method: 'POST',
	url,
	...(auth ? { authentication: 'genericCredentialType', genericAuthType: 'httpHeaderAuth' } : {}),
	sendBody: true,
	bodyParameters: { parameters: fields },
	options: {},
});
const rawJson = (url: string, jsonBody: string, auth: boolean): Parameters => ({
	method: 'POST',
	url,
	...(auth ? { authentication: 'genericCredentialType', genericAuthType: 'httpHeaderAuth' } : {}),
	sendBody: true,
	specifyBody: 'json',
	jsonBody,
	options: {},
});
/** JavaScript for a Code node (all items at once) that packs `phone` into lists of PACK_SIZE, mapped by `each`. */
const packCode = (fieldName: string, each: string, join: boolean) =>
	[
		'const packs = [];',
		`for (let i = 0; i < $input.all().length; i += ${PACK_SIZE}) {`,
		`  const numbers = $input.all().slice(i, i + ${PACK_SIZE}).map((item) => ${each});`,
		`  packs.push({ json: { ${fieldName}: ${join ? "numbers.join(',')" : 'numbers'} } });`,
		'}',
		'return packs;',
	].join('\n');

const pad = (i: number, width: number) => String(i).padStart(width, '0');

export function benchProviders({ mtn, lmt, ion, msp }: Pick<Sandbox, 'mtn' | 'lmt' | 'ion' | 'msp'>): Record<ProviderKey, BenchProvider> {
	const mtnAuth: SandboxCredential = { id: 'AfSmsBenchMtnHdr', name: 'MTN Congo token (header)', type: 'httpHeaderAuth', data: { name: 'Authorization', value: `Token ${mtn.token}` } };
	const ionAuth: SandboxCredential = { id: 'AfSmsBenchIonHdr', name: 'ION API key (header)', type: 'httpHeaderAuth', data: { name: 'X-API-Key', value: ion.apiKey } };
	return {
		mtn: {
			key: 'mtn',
			name: 'MTN Congo',
			nodeType: 'n8n-nodes-africa-sms.mtnCongoSms',
			credential: { type: 'mtnCongoSmsApi', id: 'AfSmsSandboxMtn1', name: 'MTN Congo (sandbox)' },
			nodeParameters: {},
			sender: SENDER,
			phoneCode: "'24206' + String(i).padStart(7, '0')",
			phone: (i) => `24206${pad(i, 7)}`,
			perItem: {
				credential: mtnAuth,
				request: (message) =>
					keypairJson(mtn.baseUrl, [field('msg', message), field('sender', SENDER), field('receivers', '={{ $json.phone }}')], true),
			},
			packed: {
				credential: mtnAuth,
				packCode: packCode('receivers', 'item.json.phone', true),
				request: (message) =>
					keypairJson(mtn.baseUrl, [field('msg', message), field('sender', SENDER), field('receivers', '={{ $json.receivers }}')], true),
			},
		},
		lmt: {
			key: 'lmt',
			name: 'LMT BulkSMS',
			nodeType: 'n8n-nodes-africa-sms.lmtBulkSms',
			credential: { type: 'lmtBulkSmsApi', id: 'AfSmsSandboxLmt1', name: 'LMT BulkSMS (sandbox)' },
			nodeParameters: {},
			sender: SENDER,
			phoneCode: "'23769' + String(i).padStart(7, '0')",
			phone: (i) => `23769${pad(i, 7)}`,
			perItem: {
				// LMT takes its key and password in the form itself.
				request: (message) => ({
					method: 'POST',
					url: `${lmt.baseUrl}push`,
					sendBody: true,
					contentType: 'form-urlencoded',
					bodyParameters: {
						parameters: [
							field('api_key', lmt.apiKey),
							field('password', lmt.password),
							field('message', message),
							field('sender', SENDER),
							field('phone', '={{ $json.phone }}'),
							field('flag', 'short_sms'),
						],
					},
					options: {},
				}),
			},
		},
		ion: {
			key: 'ion',
			name: 'ION SMS Gateway',
			nodeType: 'n8n-nodes-africa-sms.ionSmsGateway',
			credential: { type: 'ionSmsGatewayApi', id: 'AfSmsSandboxIon1', name: 'ION SMS Gateway (sandbox)' },
			nodeParameters: {},
			sender: SENDER,
			phoneCode: "'+24106' + String(i).padStart(6, '0')",
			phone: (i) => `+24106${pad(i, 6)}`,
			perItem: {
				credential: ionAuth,
				request: (message) =>
					keypairJson(`${ion.baseUrl}unides`, [field('emetteur', SENDER), field('corps', message), field('destinataire', '={{ $json.phone }}')], true),
			},
			packed: {
				credential: ionAuth,
				packCode: packCode('numeros', 'item.json.phone', false),
				request: (message) =>
					rawJson(`${ion.baseUrl}muldes`, `={ "emetteur": "${SENDER}", "corps": "${message}", "numeros": {{ JSON.stringify($json.numeros) }} }`, true),
			},
		},
		msp: {
			key: 'msp',
			name: 'Mon SMS PRO',
			nodeType: 'n8n-nodes-africa-sms.monSmsPro',
			credential: { type: 'monSmsProApi', id: 'AfSmsSandboxMsp1', name: 'Mon SMS PRO (sandbox)' },
			nodeParameters: { resource: 'campaign' },
			// A sender Mon SMS PRO has accepted (the simulator's).
			sender: 'MONSMSPRO',
			phoneCode: "'22507' + String(i).padStart(8, '0')",
			phone: (i) => `22507${pad(i, 8)}`,
			perItem: {
				// Mon SMS PRO takes its key in the JSON body.
				request: (message) =>
					rawJson(
						`${msp.baseUrl}campaign/create`,
						`={ "apiKey": "${msp.apiKey}", "contacts": [{ "phone": "{{ $json.phone }}" }], "text": "${message}", "senderId": "MONSMSPRO", "name": "Bench", "type": "SMS" }`,
						false,
					),
			},
			packed: {
				packCode: packCode('contacts', '({ phone: item.json.phone })', false),
				request: (message) =>
					rawJson(
						`${msp.baseUrl}campaign/create`,
						`={ "apiKey": "${msp.apiKey}", "contacts": {{ JSON.stringify($json.contacts) }}, "text": "${message}", "senderId": "MONSMSPRO", "name": "Bench", "type": "SMS" }`,
						false,
					),
			},
		},
	};
}

/** The HTTP Request nodes' header credentials, for `n8n import:credentials`. */
export function httpCredentials(providers: Record<ProviderKey, BenchProvider>): SandboxCredential[] {
	const all = Object.values(providers).flatMap((p) => [p.perItem.credential, p.packed?.credential]);
	return [...new Map(all.filter((c): c is SandboxCredential => c !== undefined).map((c) => [c.id, c])).values()];
}

export const variantsOf = (provider: BenchProvider): VariantKey[] => (provider.packed ? ['ours', 'perItem', 'batched', 'packed'] : ['ours', 'perItem', 'batched']);

/** The names of the nodes whose execution time is the variant's time. */
export interface Chain {
	provider: ProviderKey;
	variant: VariantKey;
	message: string;
	timedNodes: string[];
	/** The node whose output items are counted. */
	lastNode: string;
}

interface WorkflowNode {
	id: string;
	name: string;
	type: string;
	typeVersion: number;
	position: [number, number];
	parameters: Parameters;
	credentials?: Record<string, { id: string; name: string }>;
}

/**
 * One workflow: a manual trigger, per provider a Code node that makes `count` recipients,
 * and behind it each requested variant's chain. The bench runs one chain per workflow (so
 * that peak memory is the variant's own); the smoke check runs them all in one.
 */
export function benchWorkflow(id: string, providers: BenchProvider[], variants: (p: BenchProvider) => VariantKey[], count: number): { workflow: object; chains: Chain[] } {
	const nodes: WorkflowNode[] = [{ id: `${id}-start`, name: 'Start', type: 'n8n-nodes-base.manualTrigger', typeVersion: 1, position: [0, 0], parameters: {} }];
	const connections: Record<string, { main: Array<Array<{ node: string; type: string; index: number }>> }> = {};
	const connect = (from: string, to: string) => {
		connections[from] ??= { main: [[]] };
		connections[from].main[0].push({ node: to, type: 'main', index: 0 });
	};
	const chains: Chain[] = [];
	providers.forEach((provider, row) => {
		const y = row * 600;
		const make = `${provider.name}: ${count} recipients`;
		nodes.push({
			id: `${id}-${provider.key}-make`,
			name: make,
			type: 'n8n-nodes-base.code',
			typeVersion: 2,
			position: [240, y],
			parameters: { jsCode: `const out = new Array(${count});\nfor (let i = 0; i < ${count}; i++) out[i] = { json: { phone: ${provider.phoneCode} } };\nreturn out;` },
		});
		connect('Start', make);
		variants(provider).forEach((variant, column) => {
			const message = messageOf(variant);
			const name = `${provider.name}: ${variant}`;
			const position: [number, number] = [480, y + column * 150];
			const http = (plan: HttpPlan, nodeName: string, options: Parameters = {}, at = position): WorkflowNode => ({
				id: `${id}-${provider.key}-${variant}-http`,
				name: nodeName,
				type: 'n8n-nodes-base.httpRequest',
				typeVersion: 4.2,
				position: at,
				parameters: { ...plan.request(message), options },
				...(plan.credential ? { credentials: { httpHeaderAuth: { id: plan.credential.id, name: plan.credential.name } } } : {}),
			});
			if (variant === 'ours') {
				nodes.push({
					id: `${id}-${provider.key}-ours`,
					name,
					type: provider.nodeType,
					typeVersion: 1,
					position,
					parameters: {
						...provider.nodeParameters,
						operation: 'sendBulk',
						sender: provider.sender,
						phone: '={{ $json.phone }}',
						message,
						// Pacing off, as HTTP Request has none: the default 10 requests/s would time the pacing, not the work.
						options: { maxRequestsPerSecond: 0 },
					},
					credentials: { [provider.credential.type]: { id: provider.credential.id, name: provider.credential.name } },
				});
				connect(make, name);
				chains.push({ provider: provider.key, variant, message, timedNodes: [name], lastNode: name });
			} else if (variant === 'perItem' || variant === 'batched') {
				const options = variant === 'batched' ? { batching: { batch: { batchSize: OUR_CONCURRENCY, batchInterval: BATCH_INTERVAL_MS } } } : {};
				nodes.push(http(provider.perItem, name, options));
				connect(make, name);
				chains.push({ provider: provider.key, variant, message, timedNodes: [name], lastNode: name });
			} else if (provider.packed) {
				const pack = `${provider.name}: pack`;
				nodes.push({ id: `${id}-${provider.key}-pack`, name: pack, type: 'n8n-nodes-base.code', typeVersion: 2, position, parameters: { jsCode: provider.packed.packCode } });
				nodes.push(http(provider.packed, name, {}, [position[0] + 240, position[1]]));
				connect(make, pack);
				connect(pack, name);
				chains.push({ provider: provider.key, variant, message, timedNodes: [pack, name], lastNode: name });
			}
		});
	});
	return {
		workflow: { id, name: `Bench ${id}`, nodes, connections, settings: { executionOrder: 'v1' }, pinData: {}, active: false },
		chains,
	};
}
