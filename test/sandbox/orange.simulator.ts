import { randomBytes, randomUUID } from 'node:crypto';
import { orangeProvider } from '../../nodes/OrangeSms/orange.api';
import { analyzeText } from '../../nodes/shared/text';
import { fromSeam } from '../providers/fromSeam';
import type { TestProvider } from '../providers/types';
import { isObject, parseJson, ProviderSimulator, type SimRequest, type SimResponse } from './simulator';

/**
 * Orange "SMS Africa and Middle East" (developer.orange.com), as
 * ../shared/providers/orange-sms.md describes it, under one host (the real one is
 * https://api.orange.com):
 * - OAuth 2.0 client credentials: `POST /oauth/v3/token` (and the legacy `/oauth/v2/token`),
 *   `Authorization: Basic base64(id:secret)`, form body `grant_type=client_credentials`;
 * - every other route takes `Authorization: Bearer <token>`; gateway errors are
 *   `{code, message, description}` (40 missing, 41 invalid, 42 expired credentials, 53 too many requests);
 * - `POST /smsmessaging/v1/outbound/{sender}/requests`: one SMS to one number, 201 with the
 *   request echoed and a `resourceURL` whose last segment is the message id; OneAPI errors
 *   `{"requestError": {"serviceException"|"policyException": {messageId, text, variables}}}`;
 *   one unit of the country's contract per segment;
 * - `GET /sms/admin/v1/contracts|statistics|purchaseorders`: balance, usage, bundles bought;
 * - legacy delivery-receipt subscriptions under `/smsmessaging/v1/outbound/…/subscriptions`, and
 *   `deliverReports()` / `sendIncomingSms()` to POST Orange's notifications to a receiver.
 *
 * Time (token expiry, contract expiry, rate window, dates in answers) runs on `now()`, a clock
 * the tests move with `advanceClock(ms)`. Every behaviour the doc marks [assumed] is a
 * constant or a function below with a comment saying so.
 */

/** assumed: the OneAPI set every integration uses; Orange's list is in guide text nobody could read. */
export const ORANGE_DELIVERY_STATUSES = ['DeliveredToTerminal', 'DeliveredToNetwork', 'DeliveryImpossible', 'MessageWaiting', 'DeliveryUncertain'] as const;
export type OrangeDeliveryStatus = (typeof ORANGE_DELIVERY_STATUSES)[number];

export type OrangeContractStatus = 'ACTIVE' | 'EXPIRED';

/** A contract as `GET /sms/admin/v1/contracts` lists it (the 2.0 shape). */
export interface OrangeContract {
	id: string;
	type: string;
	developerId: string;
	applicationId: string | null;
	/** ISO 3166-1 alpha-3 (CIV, SEN …). */
	country: string;
	offerName: string;
	availableUnits: number;
	requestedUnits: number;
	status: OrangeContractStatus;
	expirationDate: string;
	creationDate: string;
	lastUpdateDate: string;
}

/** A contract to start with: its country, and any field to set (the rest gets defaults). */
export type OrangeContractSeed = Partial<OrangeContract> & { country: string };

/** A purchase as `GET /sms/admin/v1/purchaseorders` lists it. */
export interface OrangePurchaseOrder {
	id: string;
	developerId: string;
	contractId: string;
	country: string;
	offerName: string;
	bundleId: string;
	bundleDescription: string;
	price: number;
	currency: string;
	purchaseDate: string;
	paymentMode: string;
	paymentProviderOrderId: string | null;
	payerId: string;
	type: string;
	oldAvailableUnits: number;
	newAvailableUnits: number;
	oldExpirationDate: string;
	newExpirationDate: string;
	externalId: string;
	comment: string | null;
}

export type OrangePurchaseOrderSeed = Partial<OrangePurchaseOrder> & { country: string };

/** One SMS Orange accepted (201). */
export interface OrangeSms {
	/** The message id: last segment of the answer's resourceURL, `callbackData` of its delivery receipt. */
	id: string;
	/** The recipient as received, without `tel:` (+2250700000001). */
	to: string;
	text: string;
	/** The senderName requested, URL-decoded; null without one. */
	senderName: string | null;
	/** What handsets show: the requested name if registered, else the account's default name. */
	shownSenderName: string;
	segments: number;
	/** The contract's country the units were taken from. */
	country: string;
	/** The app that sent it (statistics' `appid`). */
	appId: string;
	/** On the simulator's clock (`now()`). */
	acceptedAt: number;
	/** The last status reported for it by deliverReports(); null until then. */
	deliveryStatus: OrangeDeliveryStatus | null;
}

export interface OrangeSubscription {
	id: string;
	/** The sender address of the path it was created under (decoded). */
	sender: string;
	notifyURL: string;
	callbackData?: string;
	createdAt: number;
}

/** A notification the simulator POSTed: target, payload, and what it answered (an error message if nothing). */
export interface OrangeCallback {
	url: string;
	payload: unknown;
	status: number | string;
	body: string;
	postedAt: number;
}

export interface OrangeDeliverOptions {
	/** The status to report, or one per SMS (default DeliveredToTerminal). */
	status?: OrangeDeliveryStatus | ((sms: OrangeSms) => OrangeDeliveryStatus);
	/** Report these SMS (again, if already reported); default: every SMS not reported yet. */
	ids?: string[];
	/** URLs to POST to besides the subscriptions' notifyURLs. */
	to?: string | string[];
	/** Post to the subscriptions' notifyURLs (default true). */
	subscribers?: boolean;
}

export interface OrangeIncomingSms {
	/** The customer's number (tel:+…, +… or digits). */
	from: string;
	text: string;
	/** The number texted; default the account's sender address. */
	to?: string;
	messageId?: string;
	callbackData?: string;
}

export interface OrangeSimulatorOptions {
	clientId?: string;
	clientSecret?: string;
	/** The account's sender number, as path and body carry it (default tel:+2250000). */
	senderAddress?: string;
	/** Country whose contract sends are charged to; default: the sender number's country. */
	country?: string;
	/** What handsets show without a (registered) senderName. */
	defaultSenderName?: string;
	/** Custom sender names Orange has whitelisted for the account. */
	senderNames?: string[];
	/** Lifetime of a v3 token, seconds (default 3600). */
	tokenLifetimeSeconds?: number;
	/** Lifetime of a v2 token, seconds (default 7776000, 90 days). */
	v2TokenLifetimeSeconds?: number;
	/** Send requests allowed per second (default ORANGE_RATE_LIMIT_PER_SECOND); 0 = no limit. */
	rateLimitPerSecond?: number;
	/** Contracts at start (default: one ACTIVE CIV contract with DEFAULT_ORANGE_UNITS). */
	contracts?: OrangeContractSeed[];
	/** Purchase orders at start (default: one per starting contract). */
	purchaseOrders?: OrangePurchaseOrderSeed[];
	/** Whether the legacy DR subscription API is open to the account (default true). */
	subscriptionsEnabled?: boolean;
	/** Report each accepted SMS this many ms after acceptance (deliverReports for it). */
	autoDeliverMs?: number;
	/** The status autoDeliverMs reports (default DeliveredToTerminal). */
	autoDeliverStatus?: OrangeDeliveryStatus;
	developerId?: string;
	/** The app id behind the client (statistics' `appid`). */
	applicationId?: string;
}

export const DEFAULT_ORANGE_CLIENT_ID = 'SandboxOrangeClientId0123456789A';
/** Holds characters URL and form encoding change: a client that mangles it fails authentication. */
export const DEFAULT_ORANGE_CLIENT_SECRET = 'Or4nge+S3cret/CI=2026&x%20y';
export const DEFAULT_ORANGE_SENDER_ADDRESS = 'tel:+2250000';
export const DEFAULT_ORANGE_DEFAULT_SENDER_NAME = 'SMS 123456';
export const DEFAULT_ORANGE_SENDER_NAMES: readonly string[] = ['MYSHOP', 'My Shop', 'SMS 123456'];
export const DEFAULT_ORANGE_UNITS = 1000;
export const DEFAULT_ORANGE_DEVELOPER_ID = 'i7DpSandboxDeveloper01';
export const DEFAULT_ORANGE_APPLICATION_ID = 'IPdJSandboxApp01';
/** guide 2.0: a v3 token lives one hour. */
export const ORANGE_V3_TOKEN_LIFETIME_SECONDS = 3600;
/** guide 1.1: a v2 token lives 90 days, and says so as a string. */
export const ORANGE_V2_TOKEN_LIFETIME_SECONDS = 7_776_000;
/** assumed: integrators repeat "5 SMS per second"; no Orange page gives the figure. */
export const ORANGE_RATE_LIMIT_PER_SECOND = 5;
/** assumed: one recipient per request (a string or a 1-element array); more is SVC0002. */
export const ORANGE_MAX_ADDRESSES = 1;
/** assumed: the longest message, in segments (GSM-7 160/153, UCS-2 70/67). */
export const ORANGE_MAX_SEGMENTS = 10;
/** sdk medchelios: at most 11 letters, digits or spaces. */
export const ORANGE_SENDER_NAME_PATTERN = /^[A-Za-z0-9 ]{1,11}$/;
export const ORANGE_OFFER_NAME = 'SMS_OCB';
/** assumed: the HTTP status of POL0001 (the real log shows the body, not the status). */
export const ORANGE_POLICY_STATUS = 403;

/** OneAPI exception texts; `%1` stands for variables[0]. */
export const ORANGE_EXCEPTION_TEXTS = {
	SVC0001: 'A service error occurred. Error code is %1',
	/** assumed: OneAPI's text for an invalid field (empty message, bad senderName, several addresses). */
	SVC0002: 'Invalid input value for message part %1',
	SVC0004: 'No valid addresses provided in message part %1',
	POL0001: 'A policy error occurred. Error code is %1',
} as const;

/** POL0001's `variables[0]`. */
export const ORANGE_POLICY_VARIABLES = {
	/** sdk aymardk log: the contract expired (or there is none for the country). */
	expiredContract: 'Expired contract',
	/** assumed: units used up while the contract is ACTIVE. */
	insufficientBalance: 'Insufficient balance',
	/** assumed: the account may not use the legacy subscription API. */
	subscriptionsDisabled: 'Delivery receipt subscriptions are not allowed for this account',
} as const;

/** Gateway errors, `{code, message, description}`. */
export const ORANGE_GATEWAY_ERRORS = {
	/** guide: code 40; texts assumed. */
	missingCredentials: { code: 40, message: 'Missing credentials', description: 'The requested service needs credentials, but none were provided.' },
	/** guide: code 41; texts assumed. */
	invalidCredentials: { code: 41, message: 'Invalid credentials', description: 'The requested service needs credentials, but the ones provided were invalid.' },
	/** guide + sdk aymardk (whose log lacks the final period). */
	expiredCredentials: { code: 42, message: 'Expired credentials', description: 'The requested service needs credentials, and the ones provided were out-of-date.' },
	/** assumed: code, texts and 429. */
	tooManyRequests: { code: 53, message: 'Too many requests', description: 'The application has made too many calls and has exceeded the rate limit for this service.' },
	/** assumed: unknown route. */
	notFound: { code: 60, message: 'Resource not found', description: 'The requested URI or the requested resource does not exist.' },
	/** assumed: known route, other method. */
	methodNotAllowed: { code: 61, message: 'Method not allowed', description: 'The requested method is not supported by this resource.' },
} as const;

/** `error_description` of the token endpoint's errors. */
export const ORANGE_OAUTH_ERRORS = {
	/** sdk Ddaba2. */
	unknownClient: (id: string) => `Unknown client '${id}'`,
	/** assumed: no, or an undecodable, Basic header; or a known id with a wrong secret. */
	clientAuthentication: 'Client authentication failed',
	/** assumed: error `unsupported_grant_type` for any grant_type but client_credentials (missing included). */
	unsupportedGrantType: (grant: string | null) => `Unsupported grant type: ${grant ?? ''}`,
} as const;

interface CountryFacts {
	iso3: string;
	dial: string;
	currency: string;
}

/** The doc's country table (§7); currencies assumed where the doc names none. */
export const ORANGE_COUNTRIES: readonly CountryFacts[] = [
	{ iso3: 'CIV', dial: '225', currency: 'XOF' },
	{ iso3: 'SEN', dial: '221', currency: 'XOF' },
	{ iso3: 'CMR', dial: '237', currency: 'XAF' },
	{ iso3: 'MLI', dial: '223', currency: 'XOF' },
	{ iso3: 'BFA', dial: '226', currency: 'XOF' },
	{ iso3: 'GIN', dial: '224', currency: 'GNF' },
	{ iso3: 'NER', dial: '227', currency: 'XOF' },
	{ iso3: 'MDG', dial: '261', currency: 'MGA' },
	{ iso3: 'COD', dial: '243', currency: 'USD' },
	{ iso3: 'GNB', dial: '245', currency: 'XOF' },
	{ iso3: 'LBR', dial: '231', currency: 'USD' },
	{ iso3: 'JOR', dial: '962', currency: 'JOD' },
	{ iso3: 'TUN', dial: '216', currency: 'TND' },
	{ iso3: 'BWA', dial: '267', currency: 'BWP' },
	{ iso3: 'EGY', dial: '20', currency: 'EGP' },
];

/** assumed: Orange counts segments as handsets do (GSM-7 160/153, UCS-2 70/67, escapes take two). */
export function orangeSegments(text: string): number {
	return analyzeText(text).segments;
}

/** The country (alpha-3) of a number `tel:+<dial>…`, by the doc's dial codes. */
export function orangeCountryOf(number: string): string | undefined {
	const digits = number.replace(/^tel:/, '').replace(/^\+/, '');
	return ORANGE_COUNTRIES.find((c) => digits.startsWith(c.dial))?.iso3;
}

type RouteName = 'tokenV3' | 'tokenV2' | 'send' | 'subscribe' | 'subscription' | 'unsubscribe' | 'contracts' | 'statistics' | 'purchaseOrders';

const ROUTES: Array<[RegExp, RouteName, string]> = [
	[/^\/oauth\/v3\/token$/, 'tokenV3', 'POST'],
	// assumed: the legacy v2 endpoint still answers.
	[/^\/oauth\/v2\/token$/, 'tokenV2', 'POST'],
	[/^\/smsmessaging\/v1\/outbound\/subscriptions\/([^/]+)$/, 'subscription', 'GET'],
	[/^\/smsmessaging\/v1\/outbound\/([^/]+)\/requests$/, 'send', 'POST'],
	[/^\/smsmessaging\/v1\/outbound\/([^/]+)\/subscriptions$/, 'subscribe', 'POST'],
	[/^\/smsmessaging\/v1\/outbound\/([^/]+)\/subscriptions\/([^/]+)$/, 'unsubscribe', 'DELETE'],
	[/^\/sms\/admin\/v1\/contracts$/, 'contracts', 'GET'],
	[/^\/sms\/admin\/v1\/statistics$/, 'statistics', 'GET'],
	[/^\/sms\/admin\/v1\/purchaseorders$/, 'purchaseOrders', 'GET'],
];

/** A recipient: `tel:+` then an international number (E.164: at most 15 digits). */
const TEL_NUMBER = /^tel:(\+[1-9]\d{5,14})$/;
const INVALID = Symbol('invalid');
const DAY_MS = 86_400_000;

interface IssuedToken {
	expiresAt: number;
	version: 'v2' | 'v3';
}

export class OrangeSimulator extends ProviderSimulator {
	readonly clientId: string;
	readonly clientSecret: string;
	/** `Basic base64(clientId:clientSecret)`, as the app's page on Orange's portal shows it. */
	readonly authorizationHeader: string;
	readonly senderAddress: string;
	/** The country sends are charged to (alpha-3). */
	readonly country: string;
	readonly defaultSenderName: string;
	/** Whitelisted sender names: add to it freely. */
	readonly senderNames: Set<string>;
	/** Every SMS accepted, one per request. */
	readonly ledger: OrangeSms[] = [];
	readonly contracts: OrangeContract[] = [];
	readonly purchaseOrders: OrangePurchaseOrder[] = [];
	/** DR subscriptions by id. */
	readonly subscriptions = new Map<string, OrangeSubscription>();
	/** Every notification POSTed (delivery receipts, incoming SMS). */
	readonly callbacks: OrangeCallback[] = [];
	/** Tokens issued since start or reset, both endpoints. */
	tokensIssued = 0;
	subscriptionsEnabled: boolean;
	rateLimitPerSecond: number;
	private readonly tokens = new Map<string, IssuedToken>();
	/** Tokens that reset() keeps (a benchmark's, shared by its runs). */
	private readonly lastingTokens = new Set<string>();
	private clockOffset = 0;
	/** When admitted send requests arrived (simulator clock), for the rate window. */
	private sendTimes: number[] = [];
	private readonly timers = new Set<NodeJS.Timeout>();
	/** Real time at construction: default dates derive from it, so reset() restores them exactly. */
	private readonly createdAt = Date.now();
	private idCounter = 0;

	constructor(private readonly options: OrangeSimulatorOptions = {}) {
		super();
		this.clientId = options.clientId ?? DEFAULT_ORANGE_CLIENT_ID;
		this.clientSecret = options.clientSecret ?? DEFAULT_ORANGE_CLIENT_SECRET;
		this.authorizationHeader = `Basic ${Buffer.from(`${this.clientId}:${this.clientSecret}`, 'utf8').toString('base64')}`;
		this.senderAddress = options.senderAddress ?? DEFAULT_ORANGE_SENDER_ADDRESS;
		this.country = options.country ?? orangeCountryOf(this.senderAddress) ?? 'CIV';
		this.defaultSenderName = options.defaultSenderName ?? DEFAULT_ORANGE_DEFAULT_SENDER_NAME;
		this.senderNames = new Set(options.senderNames ?? DEFAULT_ORANGE_SENDER_NAMES);
		this.subscriptionsEnabled = options.subscriptionsEnabled ?? true;
		this.rateLimitPerSecond = options.rateLimitPerSecond ?? ORANGE_RATE_LIMIT_PER_SECOND;
		this.seed();
	}

	/** The simulator's stand-in for https://api.orange.com, with a trailing slash. */
	get baseUrl(): string {
		return `${this.url}/`;
	}

	/** A v3 token issued without a request, as if the token endpoint had been called (for benchmarks that give both sides one token). */
	grantToken(lasting = false): string {
		const token = newToken();
		this.tokens.set(token, { expiresAt: this.now() + (this.options.tokenLifetimeSeconds ?? ORANGE_V3_TOKEN_LIFETIME_SECONDS) * 1000, version: 'v3' });
		if (lasting) this.lastingTokens.add(token);
		this.tokensIssued++;
		return token;
	}


	/** Every token issued since start or reset: secrets the node must never show. */
	get issuedTokens(): string[] {
		return [...this.tokens.keys()];
	}

	/** The simulator's clock: real time moved by advanceClock(). */
	now(): number {
		return Date.now() + this.clockOffset;
	}

	advanceClock(ms: number): void {
		this.clockOffset += ms;
	}

	/** Every token issued so far is expired from now on (code 42). */
	expireTokens(): void {
		const now = this.now();
		for (const token of this.tokens.values()) token.expiresAt = Math.min(token.expiresAt, now);
	}

	/** The contract of a country, if the account has one. */
	contract(country = this.country): OrangeContract | undefined {
		return this.contracts.find((c) => c.country === country);
	}

	/** Sets a country's available units; creates an ACTIVE contract there if there is none. */
	setUnits(country: string, units: number): OrangeContract {
		if (!Number.isInteger(units) || units < 0) throw new Error(`units must be an integer ≥ 0, not ${units}`);
		const contract = this.contract(country) ?? this.addContract({ country });
		contract.availableUnits = units;
		contract.lastUpdateDate = this.iso();
		return contract;
	}

	/** Makes a country's contract EXPIRED as of now; its units stay listed but cannot be used. */
	expireContract(country = this.country): OrangeContract {
		const contract = this.contract(country);
		if (!contract) throw new Error(`no contract for ${country}`);
		contract.status = 'EXPIRED';
		contract.expirationDate = new Date(this.now() - 1000).toISOString();
		contract.lastUpdateDate = this.iso();
		return contract;
	}

	reset(): void {
		this.resetRecords();
		this.clearTimers();
		this.ledger.length = 0;
		this.callbacks.length = 0;
		this.subscriptions.clear();
		this.tokens.clear();
		for (const token of this.lastingTokens) this.tokens.set(token, { expiresAt: Number.MAX_SAFE_INTEGER, version: 'v3' });
		this.tokensIssued = 0;
		this.clockOffset = 0;
		this.sendTimes = [];
		this.senderNames.clear();
		for (const name of this.options.senderNames ?? DEFAULT_ORANGE_SENDER_NAMES) this.senderNames.add(name);
		this.subscriptionsEnabled = this.options.subscriptionsEnabled ?? true;
		this.rateLimitPerSecond = this.options.rateLimitPerSecond ?? ORANGE_RATE_LIMIT_PER_SECOND;
		this.seed();
	}

	async stop(): Promise<void> {
		this.clearTimers();
		await super.stop();
	}

	protected state(): unknown {
		return {
			senderAddress: this.senderAddress,
			country: this.country,
			contracts: this.contracts.map((c) => this.contractView(c)),
			purchaseOrders: this.purchaseOrders.length,
			ledgerSize: this.ledger.length,
			ledger: this.ledger,
			subscriptions: [...this.subscriptions.values()],
			subscriptionsEnabled: this.subscriptionsEnabled,
			tokensIssued: this.tokensIssued,
			callbacks: this.callbacks.length,
			clockOffsetMs: this.clockOffset,
		};
	}

	protected async controlExtra(action: string, req: SimRequest): Promise<SimResponse | undefined> {
		if (req.method !== 'POST') return undefined;
		const parsed = parseJson(req.rawBody || '{}');
		const body = isObject(parsed) ? parsed : {};
		const country = typeof body.country === 'string' ? body.country : this.country;
		switch (action) {
			case 'units': {
				const { units } = body;
				if (typeof units !== 'number' || !Number.isInteger(units) || units < 0) return { status: 400, body: { error: 'expected {"units": n, "country"?: "CIV"} (an integer ≥ 0)' } };
				return { status: 200, body: { ok: true, contract: this.contractView(this.setUnits(country, units)) } };
			}
			case 'expire-contract':
				if (!this.contract(country)) return { status: 404, body: { error: `no contract for ${country}` } };
				return { status: 200, body: { ok: true, contract: this.contractView(this.expireContract(country)) } };
			case 'expire-tokens':
				this.expireTokens();
				return { status: 200, body: { ok: true } };
			case 'advance-clock': {
				const { ms } = body;
				if (typeof ms !== 'number' || !Number.isFinite(ms)) return { status: 400, body: { error: 'expected {"ms": n}' } };
				this.advanceClock(ms);
				return { status: 200, body: { ok: true, clockOffsetMs: this.clockOffset } };
			}
			case 'deliver': {
				const { status, url } = body;
				if (status !== undefined && !ORANGE_DELIVERY_STATUSES.includes(status as OrangeDeliveryStatus)) {
					return { status: 400, body: { error: `expected {"status"?: ${ORANGE_DELIVERY_STATUSES.join(' | ')}, "url"?: "…"}` } };
				}
				const posted = await this.deliverReports({ status: status as OrangeDeliveryStatus | undefined, to: typeof url === 'string' ? url : undefined });
				return { status: 200, body: { ok: true, posted: posted.map(({ url: target, status: answered }) => ({ url: target, status: answered })) } };
			}
		}
		return undefined;
	}

	protected handle(req: SimRequest): SimResponse {
		const route = matchRoute(req.path);
		if (!route) return gateway(404, ORANGE_GATEWAY_ERRORS.notFound);
		if (req.method !== route.method) return gateway(405, ORANGE_GATEWAY_ERRORS.methodNotAllowed);
		if (route.name === 'tokenV3') return this.issueToken(req, 'v3');
		if (route.name === 'tokenV2') return this.issueToken(req, 'v2');

		const denied = this.authenticate(req);
		if (denied) return denied;
		const [first, second] = route.params;
		switch (route.name) {
			case 'send':
				return this.sendSms(req, first);
			case 'subscribe':
				return this.subscribe(req, first);
			case 'subscription':
				return this.getSubscription(first);
			case 'unsubscribe':
				return this.unsubscribe(first, second);
			case 'contracts':
				return this.listContracts(req);
			case 'statistics':
				return this.statistics(req);
			case 'purchaseOrders':
				return this.listPurchaseOrders(req);
		}
	}

	// ---- OAuth ----

	private issueToken(req: SimRequest, version: 'v2' | 'v3'): SimResponse {
		const client = readBasic(req.headers.authorization);
		if (!client) return oauthError(401, 'invalid_client', ORANGE_OAUTH_ERRORS.clientAuthentication);
		if (client.id !== this.clientId) return oauthError(401, 'invalid_client', ORANGE_OAUTH_ERRORS.unknownClient(client.id));
		if (client.secret !== this.clientSecret) return oauthError(401, 'invalid_client', ORANGE_OAUTH_ERRORS.clientAuthentication);
		const grant = readForm(req).get('grant_type');
		if (grant !== 'client_credentials') return oauthError(400, 'unsupported_grant_type', ORANGE_OAUTH_ERRORS.unsupportedGrantType(grant));

		const lifetime =
			version === 'v3'
				? (this.options.tokenLifetimeSeconds ?? ORANGE_V3_TOKEN_LIFETIME_SECONDS)
				: (this.options.v2TokenLifetimeSeconds ?? ORANGE_V2_TOKEN_LIFETIME_SECONDS);
		const token = newToken();
		this.tokens.set(token, { expiresAt: this.now() + lifetime * 1000, version });
		this.tokensIssued++;
		// A real v3 answer has a number; the v2 guide writes a string.
		return { status: 200, body: { token_type: 'Bearer', access_token: token, expires_in: version === 'v3' ? lifetime : String(lifetime) } };
	}

	/** A gateway 401 for a missing, unknown or expired Bearer token; undefined when it is good. */
	private authenticate(req: SimRequest): SimResponse | undefined {
		const header = String(req.headers.authorization ?? '').trim();
		const match = /^Bearer\s+(\S+)$/i.exec(header);
		if (!match) return gateway(401, ORANGE_GATEWAY_ERRORS.missingCredentials);
		const token = this.tokens.get(match[1]);
		if (!token) return gateway(401, ORANGE_GATEWAY_ERRORS.invalidCredentials);
		if (this.now() >= token.expiresAt) return gateway(401, ORANGE_GATEWAY_ERRORS.expiredCredentials);
		return undefined;
	}

	/**
	 * assumed: a sliding one-second window over authenticated send requests; a refused
	 * request does not count, and the 429 carries no Retry-After.
	 */
	private rateLimited(): boolean {
		if (this.rateLimitPerSecond <= 0) return false;
		const now = this.now();
		this.sendTimes = this.sendTimes.filter((t) => t > now - 1000);
		if (this.sendTimes.length >= this.rateLimitPerSecond) return true;
		this.sendTimes.push(now);
		return false;
	}

	// ---- Sending ----

	private sendSms(req: SimRequest, senderInPath: string): SimResponse {
		if (this.rateLimited()) return gateway(429, ORANGE_GATEWAY_ERRORS.tooManyRequests);
		const body = readJson(req);
		// assumed: other fields (a receiptRequest, a clientCorrelator) are ignored.
		const request = isObject(body) && isObject(body.outboundSMSMessageRequest) ? body.outboundSMSMessageRequest : undefined;
		// assumed: a body that is not this JSON object is an invalid input.
		if (!request) return exception(400, 'serviceException', 'SVC0002', 'outboundSMSMessageRequest');

		// assumed (OneAPI rule): path and body name the account's sender; a wrong one is SVC0004 senderAddress (osms-php #6).
		const pathSender = decodePath(senderInPath);
		if (pathSender !== this.senderAddress || request.senderAddress !== this.senderAddress) {
			return exception(400, 'serviceException', 'SVC0004', 'senderAddress');
		}

		const addresses = Array.isArray(request.address) ? request.address : [request.address];
		if (addresses.length > ORANGE_MAX_ADDRESSES) return exception(400, 'serviceException', 'SVC0002', 'address');
		const recipient = typeof addresses[0] === 'string' ? TEL_NUMBER.exec(addresses[0]) : null;
		// assumed: a bad recipient is SVC0004 with variable "address".
		if (!recipient) return exception(400, 'serviceException', 'SVC0004', 'address');

		const textMessage = isObject(request.outboundSMSTextMessage) ? request.outboundSMSTextMessage.message : undefined;
		if (typeof textMessage !== 'string' || !textMessage) return exception(400, 'serviceException', 'SVC0002', 'message');
		const segments = orangeSegments(textMessage);
		if (segments > ORANGE_MAX_SEGMENTS) return exception(400, 'serviceException', 'SVC0002', 'message');

		const senderName = readSenderName(request.senderName);
		if (senderName === INVALID) return exception(400, 'serviceException', 'SVC0002', 'senderName');

		// assumed: the request is validated before the contract is looked at.
		const contract = this.contract(this.country);
		if (!contract || this.contractStatus(contract) === 'EXPIRED') {
			return exception(ORANGE_POLICY_STATUS, 'policyException', 'POL0001', ORANGE_POLICY_VARIABLES.expiredContract);
		}
		// assumed: a message needing more units than are left is refused whole.
		if (contract.availableUnits < segments) {
			return exception(ORANGE_POLICY_STATUS, 'policyException', 'POL0001', ORANGE_POLICY_VARIABLES.insufficientBalance);
		}

		contract.availableUnits -= segments;
		contract.lastUpdateDate = this.iso();
		// assumed: the id is a UUID.
		const id = randomUUID();
		this.ledger.push({
			id,
			to: recipient[1],
			text: textMessage,
			senderName,
			shownSenderName: this.shownSenderName(senderName),
			segments,
			country: contract.country,
			appId: this.options.applicationId ?? DEFAULT_ORANGE_APPLICATION_ID,
			acceptedAt: this.now(),
			deliveryStatus: null,
		});
		if (this.options.autoDeliverMs !== undefined) {
			this.later(this.options.autoDeliverMs, () => this.deliverReports({ ids: [id], status: this.options.autoDeliverStatus }));
		}

		const answer: Record<string, unknown> = {
			address: [addresses[0]],
			senderAddress: request.senderAddress,
			...(request.senderName !== undefined ? { senderName: request.senderName } : {}),
			outboundSMSTextMessage: { message: textMessage },
			// assumed: the sender stays raw (tel:+) in resourceURL.
			resourceURL: `${this.url}/smsmessaging/v1/outbound/${this.senderAddress}/requests/${id}`,
		};
		return { status: 201, body: { outboundSMSMessageRequest: answer } };
	}

	/**
	 * assumed (osms-php #7, #13): a name Orange has not whitelisted is not refused but
	 * silently replaced by the account's default name, as is no name at all.
	 */
	private shownSenderName(requested: string | null): string {
		return requested !== null && this.senderNames.has(requested) ? requested : this.defaultSenderName;
	}

	// ---- Delivery-receipt subscriptions (legacy API, assumed still live) ----

	private subscribe(req: SimRequest, senderInPath: string): SimResponse {
		// assumed: an account without the legacy DR API gets a policy error.
		if (!this.subscriptionsEnabled) return exception(ORANGE_POLICY_STATUS, 'policyException', 'POL0001', ORANGE_POLICY_VARIABLES.subscriptionsDisabled);
		if (decodePath(senderInPath) !== this.senderAddress) return exception(400, 'serviceException', 'SVC0004', 'senderAddress');
		const body = readJson(req);
		const subscription = isObject(body) && isObject(body.deliveryReceiptSubscription) ? body.deliveryReceiptSubscription : {};
		const reference = isObject(subscription.callbackReference) ? subscription.callbackReference : {};
		const { notifyURL, callbackData } = reference;
		// assumed: any http(s) URL is taken; plain http too, so tests can use loopback receivers.
		if (typeof notifyURL !== 'string' || !isHttpUrl(notifyURL)) return exception(400, 'serviceException', 'SVC0002', 'notifyURL');
		if (callbackData !== undefined && typeof callbackData !== 'string') return exception(400, 'serviceException', 'SVC0002', 'callbackData');

		const id = randomUUID();
		this.subscriptions.set(id, { id, sender: this.senderAddress, notifyURL, ...(callbackData !== undefined ? { callbackData } : {}), createdAt: this.now() });
		return { status: 201, body: this.subscriptionView(id) };
	}

	private getSubscription(idInPath: string): SimResponse {
		const id = decodePath(idInPath);
		if (id === undefined || !this.subscriptions.has(id)) return unknownSubscription();
		return { status: 200, body: this.subscriptionView(id) };
	}

	private unsubscribe(senderInPath: string, idInPath: string): SimResponse {
		if (decodePath(senderInPath) !== this.senderAddress) return exception(400, 'serviceException', 'SVC0004', 'senderAddress');
		const id = decodePath(idInPath);
		if (id === undefined || !this.subscriptions.delete(id)) return unknownSubscription();
		return { status: 204, body: '' };
	}

	private subscriptionView(id: string): unknown {
		const s = this.subscriptions.get(id) as OrangeSubscription;
		return {
			deliveryReceiptSubscription: {
				callbackReference: { notifyURL: s.notifyURL, ...(s.callbackData !== undefined ? { callbackData: s.callbackData } : {}) },
				resourceURL: `${this.url}/smsmessaging/v1/outbound/subscriptions/${id}`,
			},
		};
	}

	// ---- Notifications to a receiver ----

	/**
	 * Reports SMS (by default every one not reported yet): sets each one's deliveryStatus
	 * and POSTs a `deliveryInfoNotification` for it to every subscription's notifyURL and
	 * to `options.to`. An SMS is settled even when there is nowhere to post.
	 */
	async deliverReports(options: OrangeDeliverOptions = {}): Promise<OrangeCallback[]> {
		const ids = options.ids ? new Set(options.ids) : undefined;
		const reported = this.ledger.filter((sms) => (ids ? ids.has(sms.id) : sms.deliveryStatus === null));
		const targets = [
			...(options.subscribers === false ? [] : [...this.subscriptions.values()].map((s) => s.notifyURL)),
			...(options.to === undefined ? [] : [options.to].flat()),
		];
		const results: OrangeCallback[] = [];
		for (const sms of reported) {
			const status = typeof options.status === 'function' ? options.status(sms) : (options.status ?? 'DeliveredToTerminal');
			if (!ORANGE_DELIVERY_STATUSES.includes(status)) throw new Error(`unknown delivery status ${String(status)}`);
			sms.deliveryStatus = status;
			// assumed: callbackData is the message id (the doc's DR correlation key).
			const payload = { deliveryInfoNotification: { callbackData: sms.id, deliveryInfo: { address: `tel:${sms.to}`, deliveryStatus: status } } };
			for (const url of targets) results.push(await this.post(url, payload));
		}
		return results;
	}

	/** deliverReports to one URL only (not the subscriptions). */
	async deliverReportsTo(url: string, status?: OrangeDeliveryStatus): Promise<OrangeCallback[]> {
		return await this.deliverReports({ to: url, status, subscribers: false });
	}

	/** POSTs a customer's SMS to `url` in the OneAPI `inboundSMSMessageNotification` shape (assumed: nobody documents Orange's). */
	async sendIncomingSms(url: string, sms: OrangeIncomingSms): Promise<OrangeCallback> {
		const messageId = sms.messageId ?? randomUUID();
		const payload = {
			inboundSMSMessageNotification: {
				// assumed: without a callbackData of its own, the notification carries the message id.
				callbackData: sms.callbackData ?? messageId,
				inboundSMSMessage: {
					dateTime: this.iso(),
					destinationAddress: toTel(sms.to ?? this.senderAddress),
					messageId,
					message: sms.text,
					senderAddress: toTel(sms.from),
				},
			},
		};
		return await this.post(url, payload);
	}

	/** assumed: Orange posts JSON, signs nothing and does not retry. */
	private async post(url: string, payload: unknown): Promise<OrangeCallback> {
		const postedAt = this.now();
		let result: OrangeCallback;
		try {
			const res = await fetch(url, {
				method: 'POST',
				headers: { 'content-type': 'application/json', accept: 'application/json' },
				body: JSON.stringify(payload),
				signal: AbortSignal.timeout(10_000),
			});
			result = { url, payload, status: res.status, body: await res.text(), postedAt };
		} catch (error) {
			result = { url, payload, status: (error as Error).message, body: '', postedAt };
		}
		this.callbacks.push(result);
		return result;
	}

	// ---- Administration ----

	private listContracts(req: SimRequest): SimResponse {
		const country = countryFilter(req);
		return { status: 200, body: this.contracts.filter((c) => !country || c.country === country).map((c) => this.contractView(c)) };
	}

	/** assumed: `usage` counts units (segments), `nbEnforcements` accepted requests; countries without usage are not listed. */
	private statistics(req: SimRequest): SimResponse {
		const country = countryFilter(req);
		const appid = req.query.get('appid');
		const byCountry = new Map<string, Map<string, { usage: number; nbEnforcements: number }>>();
		for (const sms of this.ledger) {
			if ((country && sms.country !== country) || (appid && sms.appId !== appid)) continue;
			const apps = byCountry.get(sms.country) ?? new Map<string, { usage: number; nbEnforcements: number }>();
			byCountry.set(sms.country, apps);
			const entry = apps.get(sms.appId) ?? { usage: 0, nbEnforcements: 0 };
			apps.set(sms.appId, entry);
			entry.usage += sms.segments;
			entry.nbEnforcements++;
		}
		const serviceStatistics = [...byCountry].map(([c, apps]) => ({
			country: c,
			countryStatistics: [...apps].map(([id, counts]) => ({ appid: id, ...counts })),
		}));
		return {
			status: 200,
			body: {
				partnerStatistics: {
					developerId: this.developerId,
					statistics: serviceStatistics.length ? [{ service: ORANGE_OFFER_NAME, serviceStatistics }] : [],
				},
			},
		};
	}

	private listPurchaseOrders(req: SimRequest): SimResponse {
		const country = countryFilter(req);
		return { status: 200, body: this.purchaseOrders.filter((p) => !country || p.country === country).map((p) => ({ ...p })) };
	}

	/** A contract as listed: EXPIRED once its expirationDate has passed on the simulator's clock. */
	private contractView(contract: OrangeContract): OrangeContract {
		return { ...contract, status: this.contractStatus(contract) };
	}

	private contractStatus(contract: OrangeContract): OrangeContractStatus {
		return contract.status === 'EXPIRED' || Date.parse(contract.expirationDate) <= this.now() ? 'EXPIRED' : 'ACTIVE';
	}

	// ---- State ----

	private get developerId(): string {
		return this.options.developerId ?? DEFAULT_ORANGE_DEVELOPER_ID;
	}

	private seed(): void {
		this.idCounter = 0;
		this.contracts.length = 0;
		this.purchaseOrders.length = 0;
		for (const seed of this.options.contracts ?? [{ country: this.country }]) this.addContract(seed);
		const orders = this.options.purchaseOrders ?? this.contracts.map((c) => ({ country: c.country }));
		for (const seed of orders) this.addPurchaseOrder(seed);
	}

	private addContract(seed: OrangeContractSeed): OrangeContract {
		const created = endOfDay(this.createdAt - 30 * DAY_MS);
		const contract: OrangeContract = {
			id: this.nextId(),
			type: 'SELFSERVICE',
			developerId: this.developerId,
			applicationId: null,
			offerName: ORANGE_OFFER_NAME,
			availableUnits: DEFAULT_ORANGE_UNITS,
			requestedUnits: 0,
			status: 'ACTIVE',
			expirationDate: endOfDay(this.createdAt + 365 * DAY_MS),
			creationDate: created,
			lastUpdateDate: created,
			...seed,
		};
		this.contracts.push(contract);
		return contract;
	}

	private addPurchaseOrder(seed: OrangePurchaseOrderSeed): void {
		const contract = this.contract(seed.country);
		const units = contract?.availableUnits ?? DEFAULT_ORANGE_UNITS;
		const date = contract?.creationDate ?? endOfDay(this.createdAt - 30 * DAY_MS);
		this.purchaseOrders.push({
			id: this.nextId(),
			developerId: this.developerId,
			contractId: contract?.id ?? this.nextId(),
			offerName: ORANGE_OFFER_NAME,
			bundleId: this.nextId(),
			bundleDescription: `Sandbox bundle - ${units} SMS (for 365 days)`,
			price: 0,
			currency: ORANGE_COUNTRIES.find((c) => c.iso3 === seed.country)?.currency ?? 'XOF',
			purchaseDate: date,
			paymentMode: 'OrangeMoney',
			paymentProviderOrderId: null,
			payerId: this.developerId,
			type: 'BUNDLE_PURCHASE',
			oldAvailableUnits: 0,
			newAvailableUnits: units,
			oldExpirationDate: date,
			newExpirationDate: contract?.expirationDate ?? endOfDay(this.createdAt + 365 * DAY_MS),
			externalId: this.nextId(),
			comment: null,
			...seed,
		});
	}

	/** 24 hex digits, as Orange's ids look (6368b890…); deterministic, so reset() gives the same. */
	private nextId(): string {
		return `6368b890${(++this.idCounter).toString(16).padStart(16, '0')}`;
	}

	private iso(): string {
		return new Date(this.now()).toISOString();
	}

	private later(ms: number, run: () => Promise<unknown>): void {
		const timer = setTimeout(() => {
			this.timers.delete(timer);
			void run();
		}, ms);
		timer.unref();
		this.timers.add(timer);
	}

	private clearTimers(): void {
		for (const timer of this.timers) clearTimeout(timer);
		this.timers.clear();
	}
}

function matchRoute(path: string): { name: RouteName; method: string; params: string[] } | undefined {
	for (const [pattern, name, method] of ROUTES) {
		const match = pattern.exec(path);
		if (match) return { name, method, params: match.slice(1) };
	}
	return undefined;
}

/** A path segment decoded once (`tel%3A%2B2250000` and `tel:+2250000` alike); undefined if malformed. */
function decodePath(segment: string): string | undefined {
	try {
		return decodeURIComponent(segment);
	} catch {
		return undefined;
	}
}

/**
 * `Authorization: Basic <base64>` or the base64 alone (the doc: accept both).
 * assumed: id and secret are compared as they are, not form-decoded (RFC 6749 §2.3.1 would).
 */
function readBasic(header: string | string[] | undefined): { id: string; secret: string } | undefined {
	const value = (Array.isArray(header) ? header[0] : header)?.trim().replace(/^Basic\s+/i, '');
	if (!value || !/^[A-Za-z0-9+/]+={0,2}$/.test(value)) return undefined;
	const decoded = Buffer.from(value, 'base64').toString('utf8');
	const colon = decoded.indexOf(':');
	if (colon < 0) return undefined;
	return { id: decoded.slice(0, colon), secret: decoded.slice(colon + 1) };
}

/** assumed: the token endpoint reads a form body only (Content-Type application/x-www-form-urlencoded). */
function readForm(req: SimRequest): URLSearchParams {
	const type = String(req.headers['content-type'] ?? '').toLowerCase();
	return type.startsWith('application/x-www-form-urlencoded') ? new URLSearchParams(req.rawBody) : new URLSearchParams();
}

/** assumed: the API reads a JSON body only with a JSON Content-Type (Accept, though, is not enforced). */
function readJson(req: SimRequest): unknown {
	const type = String(req.headers['content-type'] ?? '').toLowerCase();
	return type.includes('json') ? parseJson(req.rawBody) : undefined;
}

/**
 * The senderName, URL-decoded (osms-php and symfony URL-encode it: `My%20Shop`, `My+Shop`).
 * assumed: '+' reads as a space (PHP's urlencode), and an empty name is no name.
 */
function readSenderName(value: unknown): string | null | typeof INVALID {
	if (value === undefined || value === null) return null;
	if (typeof value !== 'string') return INVALID;
	let decoded: string;
	try {
		decoded = decodeURIComponent(value.replace(/\+/g, ' '));
	} catch {
		return INVALID;
	}
	if (decoded === '') return null;
	return ORANGE_SENDER_NAME_PATTERN.test(decoded) ? decoded : INVALID;
}

/** assumed: ?country= is matched whatever its case. */
function countryFilter(req: SimRequest): string | undefined {
	return req.query.get('country')?.toUpperCase() || undefined;
}

function isHttpUrl(value: string): boolean {
	try {
		const { protocol } = new URL(value);
		return protocol === 'https:' || protocol === 'http:';
	} catch {
		return false;
	}
}

function toTel(number: string): string {
	const compact = number.replace(/\s/g, '');
	if (compact.startsWith('tel:')) return compact;
	return `tel:${compact.startsWith('+') ? compact : `+${compact}`}`;
}

function newToken(): string {
	return randomBytes(32).toString('base64').replace(/[^A-Za-z0-9]/g, '').slice(0, 28);
}

function endOfDay(ms: number): string {
	return `${new Date(ms).toISOString().slice(0, 10)}T23:59:59.000Z`;
}

function gateway(status: number, error: { code: number; message: string; description: string }): SimResponse {
	return { status, body: { ...error } };
}

function oauthError(status: number, error: string, description: string): SimResponse {
	return { status, body: { error, error_description: description } };
}

function exception(status: number, kind: 'serviceException' | 'policyException', messageId: keyof typeof ORANGE_EXCEPTION_TEXTS, variable: string): SimResponse {
	return { status, body: { requestError: { [kind]: { messageId, text: ORANGE_EXCEPTION_TEXTS[messageId], variables: [variable] } } } };
}

/** assumed: an unknown subscription id is 404 SVC0002 naming "subscriptionId". */
function unknownSubscription(): SimResponse {
	return exception(404, 'serviceException', 'SVC0002', 'subscriptionId');
}

export const testProvider: TestProvider<OrangeSimulator> = {
	...fromSeam(orangeProvider),
	// No Send Scheduled and no Get Status: Orange has neither.
	nodeType: 'orangeSms', triggerNodeType: 'orangeSmsTrigger',
	operations: ['send', 'sendBulk', 'sendPersonalized'],
	parameters: { resource: 'sms' },
	sender: 'MYSHOP',
	sentStatus: 'accepted',
	// The tests send hundreds of requests: Orange's rate limit has its own tests.
	createSimulator: () => new OrangeSimulator({ rateLimitPerSecond: 0, contracts: [{ country: 'CIV', availableUnits: 10_000_000 }] }),
	credentials: (sim) => ({ orangeSmsApi: { clientId: sim.clientId, clientSecret: sim.clientSecret, senderAddress: sim.senderAddress, baseUrl: sim.baseUrl, defaultCountry: 'CI' } }),
	secrets: (sim) => [sim.clientSecret, sim.authorizationHeader.replace(/^Basic /, ''), ...sim.issuedTokens],
	phone: (i) => `+22507${String(i).padStart(8, '0')}`,
	isSend: (req) => req.method === 'POST' && req.path.endsWith('/requests'),
	ledgerIdField: 'id',
	fuzz: {
		model: {
			home: 'CI',
			format: 'e164',
			acceptsNumber: (n) => /^\+[1-9]\d{5,14}$/.test(n),
			acceptsSender: (s) => /^[A-Za-z0-9 ]{1,11}$/.test(s),
			maxSenderLength: 11,
			optionalSender: true,
			providerMaxSegments: ORANGE_MAX_SEGMENTS,
			senders: ['MYSHOP', 'My Shop', 'SMS 123456', 'Boutique'],
			resource: 'sms',
		},
		runs: [['send', 60], ['sendBulk', 52], ['sendPersonalized', 60]],
	},
	sandbox: {
		key: 'orange',
		port: 4014,
		portVariable: 'SANDBOX_ORANGE_PORT',
		credentialId: 'AfSmsSandboxOrg1',
		credentialName: 'Orange SMS API',
		createSimulator: () => new OrangeSimulator(),
		describe: (sim) => [['Base URL', sim.baseUrl], ['Client ID', sim.clientId], ['Client Secret', sim.clientSecret], ['Sender Address', sim.senderAddress], `Units ${sim.contract()?.availableUnits ?? 0}; POST /__sandbox/units {"units": n} changes them.`],
	},
};
