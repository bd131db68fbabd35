import { ProviderSimulator, type SimRequest, type SimResponse } from '../../sandbox/simulator';

/**
 * "Fake SMS", a provider that exists only in the tests: one `POST <base>/messages`,
 * `Authorization: Bearer <key>`, JSON `{from, to: ["221…"], text}`, at most three
 * numbers per request; HTTP 200 `{id, accepted}` on success, `{error, number?}` with
 * 400 or 401 otherwise.
 */

export interface FakeSms {
	id: string;
	to: string;
	text: string;
	sender: string;
}

export const FAKE_MAX_RECIPIENTS = 3;
/** Digits only, country code first. */
const NUMBER = /^\d{8,15}$/;

export class FakeSmsSimulator extends ProviderSimulator {
	readonly ledger: FakeSms[] = [];
	private nextId = 1;

	constructor(readonly apiKey: string) {
		super();
	}

	get baseUrl(): string {
		return `${this.url}/api/`;
	}

	reset(): void {
		this.resetRecords();
		this.ledger.length = 0;
		this.nextId = 1;
	}

	protected state(): unknown {
		return { ledger: this.ledger };
	}

	protected handle(req: SimRequest): SimResponse {
		if (req.method !== 'POST' || req.path !== '/api/messages') return { status: 404, body: { error: 'not found' } };
		if (req.headers.authorization !== `Bearer ${this.apiKey}`) return { status: 401, body: { error: 'invalid key' } };
		let body: { from?: unknown; to?: unknown; text?: unknown };
		try {
			body = JSON.parse(req.rawBody) as typeof body;
		} catch {
			return { status: 400, body: { error: 'invalid JSON' } };
		}
		const { from, to, text } = body;
		if (typeof from !== 'string' || !from || typeof text !== 'string' || !text || !Array.isArray(to) || !to.length) return { status: 400, body: { error: 'from, to and text are required' } };
		if (to.length > FAKE_MAX_RECIPIENTS) return { status: 400, body: { error: `at most ${FAKE_MAX_RECIPIENTS} numbers per request` } };
		const bad = to.find((n) => typeof n !== 'string' || !NUMBER.test(n));
		if (bad !== undefined) return { status: 400, body: { error: 'invalid number', number: String(bad) } };
		const id = `m${this.nextId++}`;
		for (const number of to as string[]) this.ledger.push({ id, to: number, text, sender: from });
		return { status: 200, body: { id, accepted: to.length } };
	}
}
