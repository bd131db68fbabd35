import { mtnCongoProvider } from '../../nodes/MtnCongoSms/mtnCongo.api';
import { fromSeam } from '../providers/fromSeam';
import type { TestProvider } from '../providers/types';
import { ProviderSimulator, type SimRequest, type SimResponse } from './simulator';

/**
 * MTN Congo "Tinda" SMS API, as ../shared/providers/mtn-congo.md describes it:
 * one POST endpoint, `Authorization: Token …`, JSON in and out, `status` as a
 * string, the cost inside `resultat`, 404 "Erreur MSISDN" for a bad number,
 * `params` CSV for personalised sends, `{"op": "status"}` for statuses.
 */

export interface MtnSms {
	messageId: string;
	to: string;
	text: string;
	sender: string;
	scheduledFor?: string;
	externalId?: number;
	callbackUrl?: string;
	email?: string;
	/** 0 pending, 1 delivered, 2 not delivered, 4 queued, 8 at SMSC, 16 rejected. */
	code: number;
	acceptedAt: number;
}

export interface DeliverOptions {
	/** Callbacks under way at once (default 1: one after the other). */
	concurrency?: number;
	/**
	 * Times a callback answered 429 or 5xx, or not answered at all, is posted again (default 0).
	 * Assumed: MTN documents no retry policy; webhook senders commonly retry so.
	 */
	retries?: number;
	/** Wait before the n-th new attempt: n times this (default 1000 ms). */
	retryDelayMs?: number;
}

export interface MtnSimulatorOptions {
	token?: string;
	/** Deliver every accepted message after this many ms (and post its callback). */
	autoDeliverMs?: number;
}

const LABELS: Record<number, string> = {
	0: 'En attente',
	1: 'Livré au téléphone',
	2: 'Non remis au téléphone',
	4: 'En file au SMSC',
	8: 'Livré au SMSC',
	16: 'Rejeté par le SMSC',
};

const CONGO_NUMBER = /^2420\d{8}$/;
const DATE_ENVOIS = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,6})?$/;
const MAX_RECEIVERS = 1000;
// The MTN guide: "GSM" is ASCII letters, digits, these signs and space; all else is Unicode.
const MTN_GSM = /^[A-Za-z0-9 ~!@#$%^&*()\-_=+\][?<>,'.":/{}\r\n]*$/;

export function mtnSegments(text: string): number {
	const length = Array.from(text).length;
	const [single, part] = MTN_GSM.test(text) ? [160, 153] : [70, 67];
	return length <= single ? 1 : Math.ceil(length / part);
}

export class MtnCongoSimulator extends ProviderSimulator {
	readonly token: string;
	/** Every SMS accepted, one entry per recipient. */
	readonly ledger: MtnSms[] = [];
	/** Callbacks posted to callback_url: target, payload, HTTP status answered (the last attempt's), attempts made, when the first was sent. */
	readonly callbacks: Array<{ url: string; payload: unknown; status: number | string; attempts: number; firstPostedAt: number }> = [];
	/** Numbers that will not be delivered (code 2) when messages are delivered. */
	readonly undeliverable = new Set<string>();
	private nextId = 1;
	private readonly externalIds = new Map<string, number | undefined>();

	constructor(private readonly options: MtnSimulatorOptions = {}) {
		super();
		this.token = options.token ?? 'sandbox-mtn-token-0123456789';
	}

	get baseUrl(): string {
		return `${this.url}/api/sms/`;
	}

	reset(): void {
		this.resetRecords();
		this.ledger.length = 0;
		this.callbacks.length = 0;
		this.undeliverable.clear();
		this.externalIds.clear();
	}

	protected state(): unknown {
		return { ledger: this.ledger, callbacks: this.callbacks };
	}

	protected async controlExtra(action: string, req: SimRequest): Promise<SimResponse | undefined> {
		if (action === 'deliver' && req.method === 'POST') {
			const { messageId, undeliverable } = JSON.parse(req.rawBody || '{}') as { messageId?: string; undeliverable?: string[] };
			for (const n of undeliverable ?? []) this.undeliverable.add(n);
			return { status: 200, body: { delivered: await this.deliver(messageId) } };
		}
		return undefined;
	}

	protected handle(req: SimRequest): SimResponse {
		if (req.method !== 'POST') return { status: 405, body: { detail: `Méthode "${req.method}" non autorisée.`, status: '405' } };
		if (req.path !== '/api/sms/') return { status: 404, body: { detail: 'Introuvable.', status: '404' } };
		const auth = req.headers.authorization;
		if (!auth) return { status: 401, body: { detail: "Informations d'authentification non fournies." } };
		if (auth !== `Token ${this.token}`) return { status: 401, body: { detail: 'Token invalide.' } };
		if (!String(req.headers['content-type'] ?? '').startsWith('application/json')) {
			return { status: 415, body: { detail: 'Type de média non supporté dans la requête.', status: '415' } };
		}
		let body: Record<string, unknown>;
		try {
			body = JSON.parse(req.rawBody) as Record<string, unknown>;
		} catch {
			return bad('JSON invalide');
		}
		if (body.op === 'status') return this.status(body);
		return this.sendSms(body);
	}

	private status(body: Record<string, unknown>): SimResponse {
		const id = String(body.id ?? '');
		const rows = this.ledger.filter((s) => s.messageId === id);
		if (!rows.length) {
			return { status: 404, body: { resultat: 'Envoi introuvable', detail: `aucun envoi avec l'id ${id}`, status: '404' } };
		}
		return { status: 200, body: { resultat: rows.map((s) => `${s.to}, ${s.code}, ${LABELS[s.code]}`), status: '200', externalId: this.externalIds.get(id) ?? null } };
	}

	private sendSms(body: Record<string, unknown>): SimResponse {
		const { msg, sender, receivers, params, date_envois: dateEnvois, externalId, callback_url: callbackUrl } = body;
		if (typeof msg !== 'string' || !msg) return bad('le paramètre msg est obligatoire');
		if (typeof sender !== 'string' || !sender) return bad('le paramètre sender est obligatoire');
		if (sender.length > 11) return bad('sender: 11 caractères au plus');
		if (dateEnvois !== undefined && (typeof dateEnvois !== 'string' || !DATE_ENVOIS.test(dateEnvois))) return bad('date_envois: format YYYY-MM-DDTHH:MM:SS attendu');
		if (externalId !== undefined && !Number.isInteger(externalId)) return bad('externalId doit être un entier');
		if (callbackUrl !== undefined && typeof callbackUrl !== 'string') return bad('callback_url doit être un texte');

		let messages: Array<{ to: string; text: string; email?: string }>;
		if (typeof params === 'string' && params) {
			const withMail = body.isemail === '1' || body.isemail === 1;
			messages = [];
			for (const row of params.split('\r\n')) {
				const cols = row.split(';');
				const to = cols[cols.length - 1];
				const email = withMail ? cols[cols.length - 2] : undefined;
				const values = cols.slice(0, withMail ? -2 : -1);
				const text = msg.replace(/:P([1-5])/g, (_, n: string) => values[Number(n) - 1] ?? '');
				messages.push({ to, text, email });
			}
		} else if (typeof receivers === 'string' && receivers) {
			messages = receivers.split(',').map((to) => ({ to: to.trim(), text: msg }));
		} else {
			return bad('receivers ou params est obligatoire');
		}
		if (messages.length > MAX_RECEIVERS) return bad(`${MAX_RECEIVERS} destinataires au plus par requête`);
		const badNumber = messages.find((m) => !CONGO_NUMBER.test(m.to));
		if (badNumber) {
			const field = typeof params === 'string' && params ? 'params' : 'receivers';
			return {
				status: 404,
				body: { resultat: `Erreur MSISDN: ${badNumber.to}`, detail: `format numéro incorrect dans le paramètre ${field}: ${badNumber.to}`, status: '404' },
			};
		}

		const messageId = String(this.nextId++);
		const cost = messages.reduce((sum, m) => sum + mtnSegments(m.text), 0);
		const now = Date.now();
		this.externalIds.set(messageId, externalId as number | undefined);
		for (const m of messages) {
			this.ledger.push({
				messageId,
				to: m.to,
				text: m.text,
				sender,
				scheduledFor: dateEnvois as string | undefined,
				externalId: externalId as number | undefined,
				callbackUrl: callbackUrl as string | undefined,
				email: m.email,
				code: 0,
				acceptedAt: now,
			});
		}
		if (this.options.autoDeliverMs !== undefined) setTimeout(() => void this.deliver(messageId), this.options.autoDeliverMs).unref();
		return { status: 200, body: { resultat: `envoyé (coût: ${cost} crédits)`, status: '200', id: messageId } };
	}

	/**
	 * Marks messages delivered (code 1, or 2 for undeliverable numbers) and posts
	 * their status to callback_url, in the status answer's shape: one callback per message.
	 */
	async deliver(messageId?: string, options: DeliverOptions = {}): Promise<number> {
		const rows = this.ledger.filter((s) => (messageId === undefined || s.messageId === messageId) && s.code === 0);
		for (const s of rows) s.code = this.undeliverable.has(s.to) ? 2 : 1;
		const byMessage = new Map<string, MtnSms[]>();
		for (const s of rows) byMessage.set(s.messageId, [...(byMessage.get(s.messageId) ?? []), s]);
		const pending = [...byMessage].filter(([, sms]) => sms[0].callbackUrl);
		const post = async ([id, sms]: [string, MtnSms[]]) => {
			const url = sms[0].callbackUrl!;
			const payload = { id, externalId: this.externalIds.get(id) ?? null, status: '200', resultat: sms.map((s) => `${s.to}, ${s.code}, ${LABELS[s.code]}`) };
			let status: number | string = 0;
			let attempts = 0;
			const firstPostedAt = Date.now();
			do {
				if (attempts) await new Promise((r) => setTimeout(r, attempts * (options.retryDelayMs ?? 1000)));
				attempts++;
				try {
					const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(payload) });
					await res.arrayBuffer(); // frees the connection for the next callback
					status = res.status;
				} catch (error) {
					status = (error as Error).message;
				}
			} while (attempts <= (options.retries ?? 0) && (typeof status === 'string' || status === 429 || status >= 500));
			this.callbacks.push({ url, payload, status, attempts, firstPostedAt });
		};
		const worker = async () => {
			for (let next = pending.shift(); next; next = pending.shift()) await post(next);
		};
		await Promise.all(Array.from({ length: Math.max(1, options.concurrency ?? 1) }, worker));
		return rows.length;
	}
}

function bad(detail: string): SimResponse {
	return { status: 400, body: { resultat: 'Erreur', detail, status: '400' } };
}

/** MTN Congo as the tests drive it (test/providers/registry.ts); the token has characters URL and form encoding change. */
export const testProvider: TestProvider<MtnCongoSimulator> = {
	...fromSeam(mtnCongoProvider),
	nodeType: 'mtnCongoSms', triggerNodeType: 'mtnCongoSmsTrigger', operations: ['send', 'sendBulk', 'sendPersonalized', 'sendScheduled', 'getStatus'], parameters: {},
	sender: 'BES', sentStatus: 'accepted', ledgerIdField: 'messageId', errorBody200: { status: '400', resultat: 'Sender non autorisé' },
	createSimulator: () => new MtnCongoSimulator({ token: 'mtn-t0ken+CG/2026=ok' }),
	credentials: (sim) => ({ mtnCongoSmsApi: { token: sim.token, baseUrl: sim.baseUrl, defaultCountry: 'CG' } }),
	secrets: (sim) => [sim.token],
	phone: (i) => `+24206${String(i).padStart(7, '0')}`,
	// Sends and status queries share the one endpoint.
	isSend: (req) => !/"op"\s*:\s*"status"/.test(req.rawBody),
	sandbox: { key: 'mtn', port: 4010, portVariable: 'SANDBOX_PORT', credentialId: 'AfSmsSandboxMtn1', credentialName: 'MTN Congo SMS API',
		createSimulator: ({ autoDeliverMs }) => new MtnCongoSimulator({ autoDeliverMs }),
		describe: (sim) => [['Base URL', sim.baseUrl], ['Token', sim.token], 'Messages are delivered 2 s after acceptance; callbacks are posted to callback_url.'],
	},
	fuzz: {
		model: { home: 'CG', format: 'digits', acceptsNumber: (n) => /^2420\d{8}$/.test(n), acceptsSender: () => true, maxSenderLength: 11, nativeTemplates: true, senders: ['BES', 'MTN', 'ABCDEFGHIJK', 'Boutique'] },
		runs: [['send', 60], ['sendBulk', 52], ['sendPersonalized', 60], ['sendScheduled', 60], ['getStatus', 30]],
		// An SMS to two numbers; its entries stay in the ledger (Get Status reads them there).
		async seedMessage(sim) {
			const headers = { authorization: `Token ${sim.token}`, 'content-type': 'application/json' };
			const response = await fetch(sim.baseUrl, { method: 'POST', headers, body: JSON.stringify({ msg: 'Seed', sender: 'SEED', receivers: '242061230001,242061230002' }) });
			const { id } = (await response.json()) as { id: string };
			sim.requests.length = 0;
			return String(id);
		},
		ledger: (sim) => sim.ledger.filter((s) => s.sender !== 'SEED'),
	},
};
