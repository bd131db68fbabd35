import { lmtGroupProvider } from '../../nodes/LmtBulkSms/lmtGroup.api';
import { fromSeam } from '../providers/fromSeam';
import type { TestProvider } from '../providers/types';
import { ProviderSimulator, type SimRequest, type SimResponse } from './simulator';

/**
 * LMT Group BulkSMS (Cameroon), v1 push, as ../shared/providers/lmt-group.md and LMT's
 * integration manual describe it: one `POST /bulksms/api/v1/push`, a form-urlencoded
 * body carrying the credentials (`api_key`, `password`) beside `message`, `sender`,
 * `phone` (one recipient) and the optional `flag`; HTTP 200 for every answer, the outcome
 * in the body's `status`, errors listed under the provider's own misspelt `errros`.
 * No message id, no status query, no callbacks.
 */

export interface LmtSms {
	/** The recipient, always in the international form 237XXXXXXXXX. */
	to: string;
	text: string;
	sender: string;
	/** As sent; null when the request had no flag (LMT then sends a short SMS). */
	flag: 'short_sms' | 'long_sms' | null;
	acceptedAt: number;
}

export interface LmtSimulatorOptions {
	apiKey?: string;
	password?: string;
}

export const DEFAULT_LMT_API_KEY = 'sandbox-lmt-api-key-0123456789';
/**
 * Holds every character a form body must escape (`& = + # %`), a literal `%20` and
 * spaces: a client that does not encode the body properly fails authentication.
 */
export const DEFAULT_LMT_PASSWORD = 'S&ndbox =pass+#%20 word';

/** Cameroon mobile numbers: 237 then 9 digits starting with 6; the national form as in LMT's PHP example. */
const CAMEROON_MOBILE = /^(237)?6\d{8}$/;
const FLAGS = new Set(['short_sms', 'long_sms']);

export class LmtGroupSimulator extends ProviderSimulator {
	readonly apiKey: string;
	readonly password: string;
	/** Every SMS accepted, one entry per accepted request (LMT takes one recipient per request). */
	readonly ledger: LmtSms[] = [];
	/** Numbers (237…) that LMT answers "phone is invalid" for although they are well formed. */
	readonly refusedNumbers = new Set<string>();

	constructor(options: LmtSimulatorOptions = {}) {
		super();
		this.apiKey = options.apiKey ?? DEFAULT_LMT_API_KEY;
		this.password = options.password ?? DEFAULT_LMT_PASSWORD;
	}

	get baseUrl(): string {
		return `${this.url}/bulksms/api/v1/`;
	}

	reset(): void {
		this.resetRecords();
		this.ledger.length = 0;
		this.refusedNumbers.clear();
	}

	protected state(): unknown {
		return { ledger: this.ledger, refusedNumbers: [...this.refusedNumbers] };
	}

	/** Makes LMT refuse this number ("phone is invalid"); national or 237… form. */
	refuseNumber(number: string): void {
		this.refusedNumbers.add(international(number));
	}

	protected async controlExtra(action: string, req: SimRequest): Promise<SimResponse | undefined> {
		if (action === 'refuse-numbers' && req.method === 'POST') {
			const { numbers } = JSON.parse(req.rawBody || '{}') as { numbers?: unknown };
			if (!Array.isArray(numbers)) return { status: 400, body: { error: 'expected {"numbers": ["237…", …]}' } };
			for (const n of numbers) this.refuseNumber(String(n));
			return { status: 200, body: { ok: true, refusedNumbers: [...this.refusedNumbers] } };
		}
		return undefined;
	}

	protected handle(req: SimRequest): SimResponse {
		if (req.path !== '/bulksms/api/v1/push') return { status: 404, body: { status: 'error', message: 'not found' } };
		if (req.method !== 'POST') return { status: 405, body: { status: 'error', message: 'method not allowed' } };
		const form = readForm(req);

		if (form.get('api_key') !== this.apiKey || form.get('password') !== this.password) {
			return error('authentication failed', ['api_key or password is invalid']);
		}

		const message = form.get('message');
		const sender = form.get('sender');
		const phone = form.get('phone');
		const flag = form.get('flag');
		const errros: string[] = [];
		if (!message) errros.push('message is required');
		if (!sender) errros.push('sender is required');
		if (!phone) errros.push('phone is required');
		else if (!CAMEROON_MOBILE.test(phone)) errros.push('phone is invalid');
		if (flag !== undefined && !FLAGS.has(flag)) errros.push('flag is invalid');
		if (errros.length) return error('invalid paramerters', errros);

		const to = international(phone!);
		if (this.refusedNumbers.has(to)) return error('invalid paramerters', ['phone is invalid']);

		this.ledger.push({ to, text: message!, sender: sender!, flag: (flag as LmtSms['flag']) ?? null, acceptedAt: Date.now() });
		return { status: 200, body: { status: 'success', message: 'message sent' } };
	}
}

/** LMT's error answer: HTTP 200, with the provider's spelling (`paramerters`, `errros`). */
function error(message: string, errros: string[]): SimResponse {
	return { status: 200, body: { status: 'error', message, errros } };
}

function international(number: string): string {
	const digits = number.replace(/\D/g, '');
	return digits.length === 9 ? `237${digits}` : digits;
}

/**
 * The body's fields as PHP's $_POST would see them: parsed only for a form-urlencoded
 * content type (any other body, JSON included, gives no fields); a repeated field keeps
 * its last value.
 */
function readForm(req: SimRequest): Map<string, string> {
	const fields = new Map<string, string>();
	const type = String(req.headers['content-type'] ?? '').toLowerCase();
	if (!type.startsWith('application/x-www-form-urlencoded')) return fields;
	for (const [name, value] of new URLSearchParams(req.rawBody)) fields.set(name, value);
	return fields;
}

/** LMT Group as the tests drive it (test/providers/registry.ts). */
export const testProvider: TestProvider<LmtGroupSimulator> = {
	...fromSeam(lmtGroupProvider),
	// LMT cannot schedule and gives no message id to query.
	nodeType: 'lmtBulkSms', operations: ['send', 'sendBulk', 'sendPersonalized'], parameters: {},
	sender: 'BOUTIQUE', sentStatus: 'accepted', errorBody200: { status: 'error', message: 'invalid parameters', errros: ['sender is invalid'] },
	createSimulator: () => new LmtGroupSimulator({ apiKey: 'lmt-k3y+CM/2026=ok', password: 'p@ss & w=rd+1 #%20 ok' }),
	credentials: (sim) => ({ lmtBulkSmsApi: { apiKey: sim.apiKey, password: sim.password, baseUrl: sim.baseUrl, defaultCountry: 'CM' } }),
	secrets: (sim) => [sim.apiKey, sim.password],
	phone: (i) => `+237677${String(i).padStart(6, '0')}`,
	isSend: (req) => req.path.endsWith('/push'),
	sandbox: { key: 'lmt', port: 4011, portVariable: 'SANDBOX_LMT_PORT', credentialId: 'AfSmsSandboxLmt1', credentialName: 'LMT BulkSMS API',
		createSimulator: () => new LmtGroupSimulator(),
		describe: (sim) => [['Base URL', sim.baseUrl], ['API Key', sim.apiKey], ['Password', sim.password], ['Default Country', 'CM']],
	},
	fuzz: {
		model: { home: 'CM', format: 'digits', acceptsNumber: (n) => /^2376\d{8}$/.test(n), acceptsSender: () => true, senders: ['BOUTIQUE', 'LMT', 'Clinique Sud', 'A'] },
		runs: [['send', 60], ['sendBulk', 52], ['sendPersonalized', 60]],
	},
};
