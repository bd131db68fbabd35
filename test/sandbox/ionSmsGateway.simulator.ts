import { ionSmsGatewayProvider } from '../../nodes/IonSmsGateway/ionSmsGateway.api';
import { fromSeam } from '../providers/fromSeam';
import type { TestProvider } from '../providers/types';
import { INVALID_JSON, isObject, parseJson, ProviderSimulator, type SimRequest, type SimResponse } from './simulator';

/**
 * ION-Networking SMS Gateway (Gabon), as ../shared/providers/ion-sms-gateway.md and ION's
 * integration guide describe it: three `POST /api/V1/sms/…` endpoints (UNIDES one
 * recipient, MULDES many, MULDESP many over a scheduled window), the key in `X-API-Key`,
 * JSON in and out, HTTP 201 `{ref, type, statut: "EN_ATTENTE"}` on success and
 * `{"error": "…"}` otherwise (401 for the key, 400 for the request, 500 for an empty
 * prepaid balance). No status query and no callbacks: `statut` of the answer is all an
 * integration ever sees.
 */

export type IonSendType = 'UNIDES' | 'MULDES' | 'MULDESP';

/** State of the account behind the configured key. */
export type IonKeyState = 'valid' | 'expired' | 'suspended';

export interface IonWindow {
	dateDebut: string;
	dateFin: string;
	nbParJour: number;
	intervalleMinutes: number;
}

export interface IonSms {
	/** The submission's `ref` (shared by every recipient of a MULDES/MULDESP call). */
	ref: string;
	type: IonSendType;
	/** The number as sent, trimmed (Gabonese numbers keep their leading 0: +24106123456). */
	to: string;
	text: string;
	sender: string;
	acceptedAt: number;
	/** MULDESP only: the campaign window as requested. */
	window?: IonWindow;
}

export interface IonSimulatorOptions {
	apiKey?: string;
	/** Prepaid SMS credits; undefined = postpaid account, no balance limit. */
	balance?: number;
	/** Other keys of the account, known to the server but expired ("Clé API expirée"). */
	expiredKeys?: string[];
	/** The account starts suspended ("Compte client suspendu ou archivé"). */
	suspended?: boolean;
}

export const DEFAULT_ION_API_KEY = 'sandbox-ion-api-key-0123456789';
/** Smallest `intervalleMinutes` MULDESP accepts (assumed: the guide gives no minimum). */
export const ION_MIN_INTERVAL_MINUTES = 1;
/** Longest `corps`, in characters (code points): ION refuses longer text, no concatenation. */
export const ION_MAX_BODY_CHARS = 160;

export const ION_ERRORS = {
	notFound: 'Not found',
	methodNotAllowed: 'Method not allowed',
	keyMissing: 'Clé API manquante',
	keyInvalid: 'Clé API invalide',
	keyExpired: 'Clé API expirée',
	accountSuspended: 'Compte client suspendu ou archivé',
	invalidJson: 'Corps de requête JSON invalide',
	missingFields: 'Missing required fields',
	missingScheduling: 'Missing scheduling parameters',
	bodyLength: `Le corps du message doit contenir entre 1 et ${ION_MAX_BODY_CHARS} caractères`,
	senderType: "L'émetteur doit être une chaîne de caractères",
	numerosNotArray: 'Le champ numeros doit être une liste de numéros',
	numerosEmpty: 'La liste des numéros ne doit pas être vide',
	invalidNumber: (n: string) => `Numéro invalide: ${n}`,
	invalidDate: (field: string, value: string) => `Date invalide pour ${field}: ${value} (format attendu AAAA-MM-JJ)`,
	dateOrder: 'La date de fin doit être postérieure ou égale à la date de début',
	nbParJour: 'nbParJour doit être un entier positif',
	intervalle: `intervalleMinutes doit être un entier supérieur ou égal à ${ION_MIN_INTERVAL_MINUTES}`,
	insufficientBalance: 'Solde insuffisant',
} as const;

const BASE_PATH = '/api/V1/sms/';
const ROUTES: Record<string, IonSendType> = {
	[`${BASE_PATH}unides`]: 'UNIDES',
	[`${BASE_PATH}muldes`]: 'MULDES',
	[`${BASE_PATH}muldesp`]: 'MULDESP',
};
/** The server's number rule: optional + then 6 to 24 digits. */
const ION_NUMBER = /^\+?\d{6,24}$/;
const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const KEY_STATES = new Set<IonKeyState>(['valid', 'expired', 'suspended']);

export class IonSmsGatewaySimulator extends ProviderSimulator {
	readonly apiKey: string;
	/** Keys answering "Clé API expirée" whatever keyState says. */
	readonly expiredKeys: Set<string>;
	/** Every SMS accepted, one entry per recipient. */
	readonly ledger: IonSms[] = [];
	/** Well-formed numbers refused anyway with 400 "Numéro invalide: <n>". */
	readonly refusedNumbers = new Set<string>();
	/** Prepaid credits left (1 per SMS); undefined = postpaid. */
	balance: number | undefined;
	/** State of the account behind `apiKey`: set 'expired' or 'suspended' to see the 401s. */
	keyState: IonKeyState;
	private nextRef = 1;

	constructor(private readonly options: IonSimulatorOptions = {}) {
		super();
		this.apiKey = options.apiKey ?? DEFAULT_ION_API_KEY;
		this.expiredKeys = new Set(options.expiredKeys ?? []);
		this.balance = options.balance;
		this.keyState = options.suspended ? 'suspended' : 'valid';
	}

	get baseUrl(): string {
		return `${this.url}${BASE_PATH}`;
	}

	reset(): void {
		this.resetRecords();
		this.ledger.length = 0;
		this.refusedNumbers.clear();
		this.balance = this.options.balance;
		this.keyState = this.options.suspended ? 'suspended' : 'valid';
		this.expiredKeys.clear();
		for (const key of this.options.expiredKeys ?? []) this.expiredKeys.add(key);
		this.nextRef = 1;
	}

	protected state(): unknown {
		return { ledger: this.ledger, balance: this.balance ?? null, refusedNumbers: [...this.refusedNumbers], keyState: this.keyState };
	}

	/** Makes ION refuse this (well-formed) number with 400 "Numéro invalide: <n>". */
	refuseNumber(number: string): void {
		this.refusedNumbers.add(number.trim());
	}

	protected async controlExtra(action: string, req: SimRequest): Promise<SimResponse | undefined> {
		if (req.method !== 'POST') return undefined;
		const body = parseJson(req.rawBody || '{}');
		if (action === 'balance') {
			const balance = isObject(body) ? body.balance : undefined;
			if (balance !== null && !(typeof balance === 'number' && Number.isInteger(balance) && balance >= 0)) {
				return { status: 400, body: { error: 'expected {"balance": n} (n ≥ 0, or null for postpaid)' } };
			}
			this.balance = balance ?? undefined;
			return { status: 200, body: { ok: true, balance: this.balance ?? null } };
		}
		if (action === 'key-state') {
			const keyState = isObject(body) ? body.keyState : undefined;
			if (!KEY_STATES.has(keyState as IonKeyState)) return { status: 400, body: { error: 'expected {"keyState": "valid" | "expired" | "suspended"}' } };
			this.keyState = keyState as IonKeyState;
			return { status: 200, body: { ok: true, keyState: this.keyState } };
		}
		if (action === 'refuse-numbers') {
			const numbers = isObject(body) ? body.numbers : undefined;
			if (!Array.isArray(numbers)) return { status: 400, body: { error: 'expected {"numbers": ["+241…", …]}' } };
			for (const n of numbers) this.refuseNumber(String(n));
			return { status: 200, body: { ok: true, refusedNumbers: [...this.refusedNumbers] } };
		}
		return undefined;
	}

	protected handle(req: SimRequest): SimResponse {
		const type = ROUTES[req.path];
		if (!type) return fail(404, ION_ERRORS.notFound);
		if (req.method !== 'POST') return fail(405, ION_ERRORS.methodNotAllowed);

		const authError = this.authenticate(req.headers['x-api-key']);
		if (authError) return fail(401, authError);

		const body = readJson(req);
		if (body === INVALID_JSON) return fail(400, ION_ERRORS.invalidJson);
		return this.submit(type, isObject(body) ? body : {});
	}

	private authenticate(header: string | string[] | undefined): string | undefined {
		const key = (Array.isArray(header) ? header[0] : header)?.trim();
		if (!key) return ION_ERRORS.keyMissing;
		if (key !== this.apiKey && !this.expiredKeys.has(key)) return ION_ERRORS.keyInvalid;
		if (this.keyState === 'suspended') return ION_ERRORS.accountSuspended;
		if (this.keyState === 'expired' || this.expiredKeys.has(key)) return ION_ERRORS.keyExpired;
		return undefined;
	}

	private submit(type: IonSendType, body: Record<string, unknown>): SimResponse {
		const { emetteur, corps } = body;
		const recipients = type === 'UNIDES' ? body.destinataire : body.numeros;
		if (isMissing(emetteur) || isMissing(recipients) || isMissing(corps)) return fail(400, ION_ERRORS.missingFields);
		let window: IonWindow | undefined;
		if (type === 'MULDESP') {
			const { dateDebut, dateFin, nbParJour, intervalleMinutes } = body;
			if ([dateDebut, dateFin, nbParJour, intervalleMinutes].some(isMissing)) return fail(400, ION_ERRORS.missingScheduling);
			window = { dateDebut, dateFin, nbParJour, intervalleMinutes } as IonWindow;
		}

		if (typeof emetteur !== 'string') return fail(400, ION_ERRORS.senderType);
		if (typeof corps !== 'string' || Array.from(corps).length > ION_MAX_BODY_CHARS) return fail(400, ION_ERRORS.bodyLength);

		let numbers: unknown[];
		if (type === 'UNIDES') {
			numbers = [recipients];
		} else {
			if (!Array.isArray(recipients)) return fail(400, ION_ERRORS.numerosNotArray);
			if (!recipients.length) return fail(400, ION_ERRORS.numerosEmpty);
			numbers = recipients;
		}
		const to: string[] = [];
		for (const n of numbers) {
			const number = typeof n === 'string' ? n.trim() : undefined;
			if (number === undefined || !ION_NUMBER.test(number) || this.refusedNumbers.has(number)) {
				return fail(400, ION_ERRORS.invalidNumber(number ?? JSON.stringify(n)));
			}
			to.push(number);
		}

		if (window) {
			const windowError = validateWindow(window);
			if (windowError) return fail(400, windowError);
		}

		if (this.balance !== undefined) {
			if (to.length > this.balance) return fail(500, ION_ERRORS.insufficientBalance);
			this.balance -= to.length;
		}

		const ref = String(this.nextRef++).padStart(6, '0');
		const acceptedAt = Date.now();
		for (const number of to) {
			this.ledger.push({ ref, type, to: number, text: corps, sender: emetteur, acceptedAt, ...(window ? { window: { ...window } } : {}) });
		}
		return { status: 201, body: { ref, type, statut: 'EN_ATTENTE', ...window } };
	}
}

function validateWindow(window: IonWindow): string | undefined {
	const { dateDebut, dateFin, nbParJour, intervalleMinutes } = window;
	if (!isDate(dateDebut)) return ION_ERRORS.invalidDate('dateDebut', String(dateDebut));
	if (!isDate(dateFin)) return ION_ERRORS.invalidDate('dateFin', String(dateFin));
	// YYYY-MM-DD strings compare as their dates.
	if (dateFin < dateDebut) return ION_ERRORS.dateOrder;
	if (!Number.isInteger(nbParJour) || nbParJour < 1) return ION_ERRORS.nbParJour;
	if (!Number.isInteger(intervalleMinutes) || intervalleMinutes < ION_MIN_INTERVAL_MINUTES) return ION_ERRORS.intervalle;
	return undefined;
}

/** A real calendar date written YYYY-MM-DD (2025-02-30 is not one). */
function isDate(value: unknown): boolean {
	if (typeof value !== 'string') return false;
	const match = ISO_DATE.exec(value);
	if (!match) return false;
	const [year, month, day] = match.slice(1).map(Number);
	const date = new Date(Date.UTC(year, month - 1, day));
	return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}

function isMissing(value: unknown): boolean {
	return value === undefined || value === null || value === '';
}

/**
 * The body as a JSON API server reads it: parsed only for a JSON content type (any other
 * body gives no fields, hence "Missing required fields"); an empty body is `{}`.
 */
function readJson(req: SimRequest): unknown {
	const type = String(req.headers['content-type'] ?? '').toLowerCase();
	if (!type.startsWith('application/json') || !req.rawBody.trim()) return {};
	return parseJson(req.rawBody);
}

function fail(status: number, error: string): SimResponse {
	return { status, body: { error } };
}

/** ION SMS Gateway as the tests drive it (test/providers/registry.ts). */
export const testProvider: TestProvider<IonSmsGatewaySimulator> = {
	...fromSeam(ionSmsGatewayProvider),
	// ION has no status query for API clients.
	nodeType: 'ionSmsGateway', operations: ['send', 'sendBulk', 'sendPersonalized', 'sendScheduled'], parameters: {},
	sender: 'ION', sentStatus: 'pending', ledgerIdField: 'ref', errorBody200: { error: 'Erreur: requête refusée' },
	createSimulator: () => new IonSmsGatewaySimulator({ apiKey: 'ion-k3y+GA/2026=ok' }),
	credentials: (sim) => ({ ionSmsGatewayApi: { apiKey: sim.apiKey, baseUrl: sim.baseUrl, defaultCountry: 'GA' } }),
	secrets: (sim) => [sim.apiKey],
	phone: (i) => `+241061${String(i).padStart(5, '0')}`,
	isSend: (req) => /\/(unides|muldes|muldesp)$/.test(req.path),
	sandbox: { key: 'ion', port: 4012, portVariable: 'SANDBOX_ION_PORT', credentialId: 'AfSmsSandboxIon1', credentialName: 'ION SMS Gateway API',
		createSimulator: () => new IonSmsGatewaySimulator(),
		describe: (sim) => [['Base URL', sim.baseUrl], ['API Key', sim.apiKey], ['Default Country', 'GA'], 'Postpaid (no balance limit); POST /__sandbox/balance {"balance": 0} makes it refuse for lack of credit.'],
	},
	fuzz: {
		model: { home: 'GA', format: 'e164', acceptsNumber: () => true, acceptsSender: () => true, maxTextCharacters: 160, scheduleByDay: true, senders: ['ION', 'ION-Networking', 'Boutique'] },
		runs: [['send', 60], ['sendBulk', 52], ['sendPersonalized', 60], ['sendScheduled', 75]],
	},
};
