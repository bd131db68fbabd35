/**
 * The workflows `npm run bench:n8n` compares, per provider: our node's bulk send, and what a
 * user builds without this package from the provider's document with n8n's HTTP Request node:
 * (a) one request per item, (b) the same with its Batching option, (c) a Code node that packs
 * the numbers, then one request per pack (where the API takes many numbers in one request).
 * Every variant sends its own text, so the simulators' ledgers tell the variants apart.
 */
import { ENGINE_SWITCHES_PARAMETER, type EngineSwitches } from '../../nodes/shared/engineSwitches';
import type { TestProvider, TestSimulator } from '../../test/providers/registry';
import type { SandboxCredential } from '../../test/real-n8n/instance';
import { sandboxProviders } from '../../test/sandbox/sandbox';
import { onTheWire } from '../inProcess/providers';

export type VariantKey = 'ours' | 'perItem' | 'batched' | 'packed';
/** A provider's short name in the bench (its sandbox key: mtn, lmt, ion, msp). */
export type ProviderKey = string;

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

/** Our package, as n8n prefixes its node types. */
const PACKAGE_NAME = 'n8n-nodes-africa-sms';

/** Marks a variant's requests (in their raw bodies) and SMS; the warm-up's text adds WARM_UP_TAG to it. */
export const markerOf = (variant: VariantKey) => `bench_${variant}`;
export const messageOf = (variant: VariantKey) => `Votre code 4821 ${markerOf(variant)}`;
/** Kept as is in every body the providers take (JSON, form-urlencoded: no character to escape). */
export const WARM_UP_TAG = 'warm-up';
/** The warm-up's text: another text, so the ledger check (exact text) leaves its SMS out. */
export const warmUpMessageOf = (variant: VariantKey) => `${messageOf(variant)} ${WARM_UP_TAG}`;
/** The warm-up's recipient: the registry's last number, outside the measured 0..N-1 below N = 100 000 (at 100 000 its text still tells it apart). */
export const WARM_UP_RECIPIENT = 99_999;

type Parameters = Record<string, unknown>;

interface HttpPlan {
	/** HTTP Request parameters for one request, reading the item's `phone` (or the pack's field). */
	request: (message: string) => Parameters;
	/** The HTTP Request node's credential, when the provider takes its key in a header. */
	credential?: SandboxCredential;
}

/** What a user builds with HTTP Request from the provider's document. */
interface HttpPlans {
	perItem: HttpPlan;
	/** The Code node's packing (JavaScript returning the packs) and the request per pack; absent: one number per request by nature. */
	packed?: HttpPlan & { packCode: string };
}

export interface BenchProvider extends Partial<HttpPlans> {
	key: ProviderKey;
	name: string;
	/** Our node's type and credential. */
	nodeType: string;
	credential: { type: string; id: string; name: string };
	/** Extra parameters of our node (resource). */
	nodeParameters: Parameters;
	/** A sender the provider takes, for every variant. */
	sender: string;
	/** The i-th recipient as the provider's API takes it (and its ledger records it): JavaScript of `i` for the Code node, and the same as a function. */
	phoneCode: string;
	phone: (i: number) => string;
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

/** A credential's data field, as text. */
type CredentialData = Record<string, string>;

/** Per provider (registry id), from its document: the HTTP Request nodes a user builds. A provider absent here runs our node only. */
const HTTP_PLANS: Record<string, (c: CredentialData, sender: string) => HttpPlans> = {
	mtnCongo: (c, sender) => {
		const auth: SandboxCredential = { id: 'AfSmsBenchMtnHdr', name: 'MTN Congo token (header)', type: 'httpHeaderAuth', data: { name: 'Authorization', value: `Token ${c.token}` } };
		return {
			perItem: { credential: auth, request: (message) => keypairJson(c.baseUrl, [field('msg', message), field('sender', sender), field('receivers', '={{ $json.phone }}')], true) },
			packed: {
				credential: auth,
				packCode: packCode('receivers', 'item.json.phone', true),
				request: (message) => keypairJson(c.baseUrl, [field('msg', message), field('sender', sender), field('receivers', '={{ $json.receivers }}')], true),
			},
		};
	},
	lmtGroup: (c, sender) => ({
		perItem: {
			// LMT takes its key and password in the form itself.
			request: (message) => ({
				method: 'POST',
				url: `${c.baseUrl}push`,
				sendBody: true,
				contentType: 'form-urlencoded',
				bodyParameters: {
					parameters: [
						field('api_key', c.apiKey),
						field('password', c.password),
						field('message', message),
						field('sender', sender),
						field('phone', '={{ $json.phone }}'),
						field('flag', 'short_sms'),
					],
				},
				options: {},
			}),
		},
	}),
	ionSmsGateway: (c, sender) => {
		const auth: SandboxCredential = { id: 'AfSmsBenchIonHdr', name: 'ION API key (header)', type: 'httpHeaderAuth', data: { name: 'X-API-Key', value: c.apiKey } };
		return {
			perItem: { credential: auth, request: (message) => keypairJson(`${c.baseUrl}unides`, [field('emetteur', sender), field('corps', message), field('destinataire', '={{ $json.phone }}')], true) },
			packed: {
				credential: auth,
				packCode: packCode('numeros', 'item.json.phone', false),
				request: (message) => rawJson(`${c.baseUrl}muldes`, `={ "emetteur": "${sender}", "corps": "${message}", "numeros": {{ JSON.stringify($json.numeros) }} }`, true),
			},
		};
	},
	// Orange: n8n's own OAuth2 credential (client credentials, the token endpoint of Orange's guide),
	// one POST per number with the JSON of the guide.
	orange: (c, sender) => {
		const auth: SandboxCredential = {
			id: 'AfSmsBenchOrgOA2',
			name: 'Orange OAuth2 (client credentials)',
			type: 'oAuth2Api',
			data: { grantType: 'clientCredentials', accessTokenUrl: `${c.baseUrl.replace(/\/?$/, '/')}oauth/v3/token`, clientId: c.clientId, clientSecret: c.clientSecret, scope: '', authentication: 'header' },
		};
		const sender64 = encodeURIComponent(c.senderAddress);
		return {
			perItem: {
				credential: auth,
				request: (message) => ({
					...rawJson(
						`${c.baseUrl.replace(/\/?$/, '/')}smsmessaging/v1/outbound/${sender64}/requests`,
						`={ "outboundSMSMessageRequest": { "address": "tel:{{ $json.phone }}", "senderAddress": "${c.senderAddress}", "senderName": "${sender}", "outboundSMSTextMessage": { "message": "${message}" } } }`,
						false,
					),
					authentication: 'genericCredentialType',
					genericAuthType: 'oAuth2Api',
				}),
			},
		};
	},
	// Mon SMS PRO takes its key in the JSON body.
	monSmsPro: (c, sender) => {
		const campaign = (message: string, contacts: string) =>
			rawJson(`${c.baseUrl}campaign/create`, `={ "apiKey": "${c.apiKey}", "contacts": ${contacts}, "text": "${message}", "senderId": "${sender}", "name": "Bench", "type": "SMS" }`, false);
		return {
			perItem: { request: (message) => campaign(message, '[{ "phone": "{{ $json.phone }}" }]') },
			packed: { packCode: packCode('contacts', '({ phone: item.json.phone })', false), request: (message) => campaign(message, '{{ JSON.stringify($json.contacts) }}') },
		};
	},
};

/**
 * The registry's phone(i) as JavaScript for the Code node that makes the recipients, in the
 * API's form; checked against the function itself (it must use nothing but `i`).
 */
function phoneCodeOf(p: TestProvider): { phoneCode: string; phone: (i: number) => string } {
	const phone = (i: number) => onTheWire(p.phone(i), p.sms.phoneFormat);
	const phoneCode = `(${p.phone.toString()})(i)${p.sms.phoneFormat === 'digits' ? ".replace('+', '')" : ''}`;
	let made: (i: number) => unknown = () => undefined;
	try {
		made = new Function('i', `return ${phoneCode};`) as (i: number) => unknown;
	} catch {
		// Reported below.
	}
	const same = [0, 1, 42, 12_345, 99_999].every((i) => {
		try {
			return made(i) === phone(i);
		} catch {
			return false;
		}
	});
	if (!same) throw new Error(`${p.label}: the bench cannot run its phone(i) in n8n's Code node (${phoneCode}); it must use nothing but i`);
	return { phoneCode, phone };
}

/** The providers the sandbox runs (their credentials are the sandbox's), by sandbox key, for the started simulators given by that key. */
export function benchProviders(simulators: Record<string, TestSimulator>): Record<ProviderKey, BenchProvider> {
	const out: Record<ProviderKey, BenchProvider> = {};
	for (const p of sandboxProviders()) {
		const sim = simulators[p.sandbox.key];
		if (!sim) continue;
		out[p.sandbox.key] = {
			key: p.sandbox.key,
			name: p.label,
			nodeType: `${PACKAGE_NAME}.${p.nodeType}`,
			// As sandboxCredentials (test/real-n8n/examples.ts) imports it.
			credential: { type: p.credentialType, id: p.sandbox.credentialId, name: `${p.label} (sandbox)` },
			nodeParameters: p.parameters,
			sender: p.sender,
			...phoneCodeOf(p),
			...HTTP_PLANS[p.id]?.(p.credentials(sim)[p.credentialType] as CredentialData, p.sender),
		};
	}
	return out;
}

/** The HTTP Request nodes' header credentials, for `n8n import:credentials`. */
export function httpCredentials(providers: Record<ProviderKey, BenchProvider>): SandboxCredential[] {
	const all = Object.values(providers).flatMap((p) => [p.perItem?.credential, p.packed?.credential]);
	return [...new Map(all.filter((c): c is SandboxCredential => c !== undefined).map((c) => [c.id, c])).values()];
}

export const variantsOf = (provider: BenchProvider): VariantKey[] => [
	'ours',
	...(provider.perItem ? (['perItem', 'batched'] as const) : []),
	...(provider.packed ? (['packed'] as const) : []),
];

/** The names of the nodes whose execution time is the variant's time. */
export interface Chain {
	provider: ProviderKey;
	variant: VariantKey;
	message: string;
	timedNodes: string[];
	/** The node whose output items are counted. */
	lastNode: string;
	/** The same chain on one recipient, run before it in the same execution (`warmUp`); not timed. */
	warmUp?: ChainNodes;
}

/** A chain's text and nodes. */
type ChainNodes = Pick<Chain, 'message' | 'timedNodes' | 'lastNode'>;

interface WorkflowNode {
	id: string;
	name: string;
	type: string;
	typeVersion: number;
	position: [number, number];
	parameters: Parameters;
	credentials?: Record<string, { id: string; name: string }>;
}

export interface BenchWorkflowOptions {
	/** Set on our node (its hidden parameter), to turn a part of its engine off. */
	engineSwitches?: Partial<EngineSwitches>;
	/**
	 * Before the measured chains, each variant's chain once on one recipient (its own text,
	 * nodes named "… (warm-up)"), so that the measured node time leaves out first-use loading
	 * (our node's undici, n8n's HTTP Request code): the steady state, for every variant alike.
	 */
	warmUp?: boolean;
	/** Our node with the option Idempotency Key on, reading the field `orderId` the recipients get (new for every execution). */
	idempotencyKey?: boolean;
}

/** The Idempotency Key our node reads when the bench turns it on: a plain field, as an order id would be. */
export const BENCH_IDEMPOTENCY_KEY = '={{ $json.orderId }}';

/** JavaScript for a Code node (all items at once, its input ignored) that makes recipients 0..count-1. */
const recipientsCode = (provider: BenchProvider, count: number, keyed = false) =>
	`${keyed ? 'const run = Date.now().toString(36);\n' : ''}const out = new Array(${count});\nfor (let i = 0; i < ${count}; i++) out[i] = { json: { phone: ${provider.phoneCode}${keyed ? ", orderId: run + '-' + i" : ''} } };\nreturn out;`;
/** The same for the warm-up's one recipient. */
const warmUpRecipientCode = (provider: BenchProvider) => `const i = ${WARM_UP_RECIPIENT};\nreturn [{ json: { phone: ${provider.phoneCode} } }];`;

/**
 * One workflow: a manual trigger, per provider a Code node that makes `count` recipients,
 * and behind it each requested variant's chain. The bench runs one chain per workflow (so
 * that peak memory is the variant's own); the smoke check runs them all in one.
 * With `warmUp`, per provider: Start → per variant a one-recipient Code node and the variant's
 * warm-up chain, one variant after the other → the recipients' Code node → the measured chains.
 * In a row, not side by side: a node fed by several parents runs once per parent, and the
 * measured chains would run as many times.
 */
export function benchWorkflow(
	id: string,
	providers: BenchProvider[],
	variants: (p: BenchProvider) => VariantKey[],
	count: number,
	{ engineSwitches, warmUp = false, idempotencyKey = false }: BenchWorkflowOptions = {},
): { workflow: object; chains: Chain[] } {
	const nodes: WorkflowNode[] = [{ id: `${id}-start`, name: 'Start', type: 'n8n-nodes-base.manualTrigger', typeVersion: 1, position: [0, 0], parameters: {} }];
	const connections: Record<string, { main: Array<Array<{ node: string; type: string; index: number }>> }> = {};
	const connect = (from: string, to: string) => {
		connections[from] ??= { main: [[]] };
		connections[from].main[0].push({ node: to, type: 'main', index: 0 });
	};
	const chains: Chain[] = [];
	providers.forEach((provider, row) => {
		// With a warm-up, a row of warm-up nodes above the provider's row.
		const y = warmUp ? row * 900 + 300 : row * 600;
		const make = `${provider.name}: ${count} recipients`;

		/** The variant's chain behind `from`; its timed nodes and last node (none when the provider lacks the variant). */
		const addChain = (variant: VariantKey, from: string, position: [number, number], warm: boolean): ChainNodes | undefined => {
			const message = warm ? warmUpMessageOf(variant) : messageOf(variant);
			// Other names and ids for the warm-up's copy: n8n keys run data by name.
			const suffix = warm ? ' (warm-up)' : '';
			const idSuffix = warm ? '-warmup' : '';
			const name = `${provider.name}: ${variant}${suffix}`;
			const http = (plan: HttpPlan, nodeName: string, options: Parameters = {}, at = position): WorkflowNode => ({
				id: `${id}-${provider.key}-${variant}-http${idSuffix}`,
				name: nodeName,
				type: 'n8n-nodes-base.httpRequest',
				typeVersion: 4.2,
				position: at,
				parameters: { ...plan.request(message), options },
				...(plan.credential ? { credentials: { [plan.credential.type]: { id: plan.credential.id, name: plan.credential.name } } } : {}),
			});
			if (variant === 'ours') {
				nodes.push({
					id: `${id}-${provider.key}-ours${idSuffix}`,
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
						options: { maxRequestsPerSecond: 0, ...(idempotencyKey && !warm ? { idempotencyKey: BENCH_IDEMPOTENCY_KEY } : {}) },
						...(engineSwitches ? { [ENGINE_SWITCHES_PARAMETER]: engineSwitches } : {}),
					},
					credentials: { [provider.credential.type]: { id: provider.credential.id, name: provider.credential.name } },
				});
				connect(from, name);
				return { message, timedNodes: [name], lastNode: name };
			}
			if ((variant === 'perItem' || variant === 'batched') && provider.perItem) {
				const options = variant === 'batched' ? { batching: { batch: { batchSize: OUR_CONCURRENCY, batchInterval: BATCH_INTERVAL_MS } } } : {};
				nodes.push(http(provider.perItem, name, options));
				connect(from, name);
				return { message, timedNodes: [name], lastNode: name };
			}
			if (variant === 'packed' && provider.packed) {
				const pack = `${provider.name}: pack${suffix}`;
				nodes.push({ id: `${id}-${provider.key}-pack${idSuffix}`, name: pack, type: 'n8n-nodes-base.code', typeVersion: 2, position, parameters: { jsCode: provider.packed.packCode } });
				nodes.push(http(provider.packed, name, {}, [position[0] + 240, position[1]]));
				connect(from, pack);
				connect(pack, name);
				return { message, timedNodes: [pack, name], lastNode: name };
			}
			return undefined;
		};

		// The warm-ups, one after the other; the last one's output starts the recipients' Code node (which ignores it).
		const warmUps = new Map<VariantKey, ChainNodes>();
		let before = 'Start';
		if (warmUp) {
			variants(provider).forEach((variant, column) => {
				const x = 240 + column * 720;
				const recipient = `${provider.name}: warm-up recipient${column > 0 ? ` (${variant})` : ''}`;
				nodes.push({
					id: `${id}-${provider.key}-${variant}-warmup-make`,
					name: recipient,
					type: 'n8n-nodes-base.code',
					typeVersion: 2,
					position: [x, y - 250],
					parameters: { jsCode: warmUpRecipientCode(provider) },
				});
				connect(before, recipient);
				const chain = addChain(variant, recipient, [x + 240, y - 250], true);
				if (!chain) {
					before = recipient;
					return;
				}
				warmUps.set(variant, chain);
				before = chain.lastNode;
			});
		}
		nodes.push({
			id: `${id}-${provider.key}-make`,
			name: make,
			type: 'n8n-nodes-base.code',
			typeVersion: 2,
			position: [240, y],
			parameters: { jsCode: recipientsCode(provider, count, idempotencyKey) },
		});
		connect(before, make);
		variants(provider).forEach((variant, column) => {
			const chain = addChain(variant, make, [480, y + column * 150], false);
			const warm = warmUps.get(variant);
			if (chain) chains.push({ provider: provider.key, variant, ...chain, ...(warm ? { warmUp: warm } : {}) });
		});
	});
	return {
		workflow: { id, name: `Bench ${id}`, nodes, connections, settings: { executionOrder: 'v1' }, pinData: {}, active: false },
		chains,
	};
}
