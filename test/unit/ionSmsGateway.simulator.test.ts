/**
 * The ION-Networking SMS Gateway simulator itself, over HTTP: it must behave as ION's
 * integration guide and the server's rules say, since the ION node's workflow tests and
 * the examples trust it.
 */
import { DEFAULT_ION_API_KEY, ION_MIN_INTERVAL_MINUTES, IonSmsGatewaySimulator } from '../sandbox/ionSmsGateway.simulator';
import { useSimulator } from '../helpers/useSimulator';

const sim = useSimulator(() => new IonSmsGatewaySimulator());

interface Answer {
	status: number;
	json: Record<string, unknown>;
	contentType: string | null;
}

async function call(path: string, body: unknown, key: string | null = DEFAULT_ION_API_KEY, init: RequestInit = {}): Promise<Answer> {
	const headers: Record<string, string> = { 'content-type': 'application/json' };
	if (key !== null) headers['x-api-key'] = key;
	const res = await fetch(`${sim().baseUrl}${path}`, {
		method: 'POST',
		headers,
		body: typeof body === 'string' ? body : JSON.stringify(body),
		...init,
	});
	return { status: res.status, json: (await res.json()) as Record<string, unknown>, contentType: res.headers.get('content-type') };
}

async function control(action: string, body: unknown): Promise<Response> {
	return fetch(`${sim().url}/__sandbox/${action}`, { method: 'POST', body: JSON.stringify(body) });
}

const unides = (over: Record<string, unknown> = {}) => ({ emetteur: 'ION-Networking', destinataire: '+24106123456', corps: 'Bienvenue sur SMS Gateway !', ...over });
const NUMBERS = ['+24106123456', '+24107456789', '+24106234567'];
const muldes = (over: Record<string, unknown> = {}) => ({ emetteur: 'ION-Networking', numeros: NUMBERS, corps: 'Profitez de nos offres exclusives SMS Gateway !', ...over });
const SCHEDULE = { dateDebut: '2025-10-10', dateFin: '2025-10-15', nbParJour: 100, intervalleMinutes: 15 };
const muldesp = (over: Record<string, unknown> = {}) => ({ ...muldes({ numeros: NUMBERS.slice(0, 2) }), ...SCHEDULE, ...over });

test('the base URL has the capital V1; UNIDES is accepted with 201, a 6-digit ref and one ledger entry', async () => {
	expect(sim().baseUrl).toBe(`${sim().url}/api/V1/sms/`);
	const answer = await call('unides', unides());
	expect(answer.status).toBe(201);
	expect(answer.contentType).toMatch(/^application\/json/);
	expect(answer.json).toEqual({ ref: '000001', type: 'UNIDES', statut: 'EN_ATTENTE' });
	expect(answer.json.ref).toMatch(/^\d{6}$/);
	expect(sim().ledger).toEqual([
		{ ref: '000001', type: 'UNIDES', to: '+24106123456', text: 'Bienvenue sur SMS Gateway !', sender: 'ION-Networking', acceptedAt: expect.any(Number) },
	]);
	expect((await call('unides', unides({ destinataire: ' 24106123456 ' }))).json.ref).toBe('000002');
	expect(sim().ledger[1].to).toBe('24106123456');
});

test('MULDES with 3 numbers: one ref, three ledger entries', async () => {
	const answer = await call('muldes', muldes());
	expect(answer).toMatchObject({ status: 201, json: { ref: '000001', type: 'MULDES', statut: 'EN_ATTENTE' } });
	expect(Object.keys(answer.json).sort()).toEqual(['ref', 'statut', 'type']);
	expect(sim().ledger.map((s) => [s.ref, s.type, s.to])).toEqual(NUMBERS.map((n) => ['000001', 'MULDES', n]));
	expect(sim().ledger.every((s) => s.text === 'Profitez de nos offres exclusives SMS Gateway !' && s.window === undefined)).toBe(true);
});

test('MULDESP echoes its schedule and records the window on every entry', async () => {
	const answer = await call('muldesp', muldesp());
	expect(answer.status).toBe(201);
	expect(answer.json).toEqual({ ref: '000001', type: 'MULDESP', statut: 'EN_ATTENTE', ...SCHEDULE });
	expect(sim().ledger).toHaveLength(2);
	expect(sim().ledger.map((s) => s.window)).toEqual([SCHEDULE, SCHEDULE]);
	// A one-day campaign at the smallest interval.
	const oneDay = await call('muldesp', muldesp({ dateFin: '2025-10-10', nbParJour: 1, intervalleMinutes: ION_MIN_INTERVAL_MINUTES }));
	expect(oneDay.status).toBe(201);
});

test('401 for a missing, invalid or expired key and a suspended account; nothing sent', async () => {
	expect(await call('unides', unides(), null)).toMatchObject({ status: 401, json: { error: 'Clé API manquante' } });
	expect(await call('unides', unides(), '')).toMatchObject({ status: 401, json: { error: 'Clé API manquante' } });
	expect(await call('unides', unides(), 'wrong-key')).toMatchObject({ status: 401, json: { error: 'Clé API invalide' } });
	// Auth comes before the body is read.
	expect(await call('unides', {}, null)).toMatchObject({ status: 401, json: { error: 'Clé API manquante' } });

	sim().keyState = 'expired';
	expect(await call('muldes', muldes())).toMatchObject({ status: 401, json: { error: 'Clé API expirée' } });
	expect((await control('key-state', { keyState: 'suspended' })).status).toBe(200);
	expect(await call('muldesp', muldesp())).toMatchObject({ status: 401, json: { error: 'Compte client suspendu ou archivé' } });
	expect(await call('unides', unides(), 'wrong-key')).toMatchObject({ status: 401, json: { error: 'Clé API invalide' } });
	expect((await control('key-state', { keyState: 'revoked' })).status).toBe(400);
	expect(sim().ledger).toEqual([]);

	sim().reset();
	expect(sim().keyState).toBe('valid');
	expect((await call('unides', unides())).status).toBe(201);
});

test('an old key listed in expiredKeys answers "Clé API expirée"; suspended: true starts suspended', async () => {
	const other = await new IonSmsGatewaySimulator({ apiKey: 'current', expiredKeys: ['old'], suspended: true }).start(0);
	try {
		const post = (key: string) =>
			fetch(`${other.baseUrl}unides`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-api-key': key }, body: JSON.stringify(unides()) }).then(
				async (res) => [res.status, ((await res.json()) as { error?: string }).error],
			);
		expect(await post('current')).toEqual([401, 'Compte client suspendu ou archivé']);
		other.keyState = 'valid';
		expect(await post('old')).toEqual([401, 'Clé API expirée']);
		expect(await post('current')).toEqual([201, undefined]);
	} finally {
		await other.stop();
	}
});

test('a valid key with an empty body gets 400 "Missing required fields" and nothing is sent (the credential test)', async () => {
	for (const path of ['unides', 'muldes', 'muldesp']) {
		expect(await call(path, {})).toMatchObject({ status: 400, json: { error: 'Missing required fields' } });
	}
	expect(await call('unides', '')).toMatchObject({ status: 400, json: { error: 'Missing required fields' } });
	expect(await call('unides', unides({ corps: '' }))).toMatchObject({ status: 400, json: { error: 'Missing required fields' } });
	expect(await call('unides', { emetteur: 'ION', numeros: ['+24106123456'], corps: 'x' })).toMatchObject({ status: 400, json: { error: 'Missing required fields' } });
	expect(await call('muldes', unides())).toMatchObject({ status: 400, json: { error: 'Missing required fields' } });
	expect(await call('muldesp', { ...SCHEDULE, corps: 'x' })).toMatchObject({ status: 400, json: { error: 'Missing required fields' } });
	expect(await call('muldesp', muldes())).toMatchObject({ status: 400, json: { error: 'Missing scheduling parameters' } });
	expect(await call('muldesp', muldesp({ intervalleMinutes: undefined }))).toMatchObject({ status: 400, json: { error: 'Missing scheduling parameters' } });
	expect(sim().ledger).toEqual([]);
});

test('JSON only: a malformed JSON body is 400, a body without a JSON content type is not read', async () => {
	const malformed = await call('unides', '{"emetteur": "ION",');
	expect(malformed.status).toBe(400);
	expect(typeof malformed.json.error).toBe('string');
	const form = await fetch(`${sim().baseUrl}unides`, {
		method: 'POST',
		headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-api-key': DEFAULT_ION_API_KEY },
		body: new URLSearchParams(unides()).toString(),
	});
	expect(form.status).toBe(400);
	expect(await form.json()).toEqual({ error: 'Missing required fields' });
	expect(sim().ledger).toEqual([]);
});

test('corps: 160 characters (code points) at most, no concatenation', async () => {
	expect((await call('unides', unides({ corps: 'a'.repeat(160) }))).status).toBe(201);
	expect((await call('unides', unides({ corps: '😀'.repeat(160) }))).status).toBe(201);
	const long = await call('unides', unides({ corps: 'a'.repeat(161) }));
	expect(long).toMatchObject({ status: 400, json: { error: 'Le corps du message doit contenir entre 1 et 160 caractères' } });
	expect((await call('muldes', muldes({ corps: 'é'.repeat(161) }))).status).toBe(400);
	expect((await call('unides', unides({ corps: 42 }))).status).toBe(400);
	expect(sim().ledger).toHaveLength(2);
});

test('a bad number refuses the whole request and is named; numeros must be a non-empty list', async () => {
	expect(await call('muldes', muldes({ numeros: ['+24106123456', '+241-06-12', '+24107456789'] }))).toMatchObject({
		status: 400,
		json: { error: 'Numéro invalide: +241-06-12' },
	});
	expect(await call('unides', unides({ destinataire: '12345' }))).toMatchObject({ status: 400, json: { error: 'Numéro invalide: 12345' } });
	expect(await call('unides', unides({ destinataire: `+${'1'.repeat(25)}` }))).toMatchObject({ status: 400 });
	expect(await call('unides', unides({ destinataire: 24106123456 }))).toMatchObject({ status: 400, json: { error: 'Numéro invalide: 24106123456' } });
	expect(await call('muldes', muldes({ numeros: [] }))).toMatchObject({ status: 400, json: { error: 'La liste des numéros ne doit pas être vide' } });
	expect(await call('muldes', muldes({ numeros: '+24106123456' }))).toMatchObject({ status: 400, json: { error: 'Le champ numeros doit être une liste de numéros' } });
	// The server's rule bounds: 6 and 24 digits.
	expect((await call('unides', unides({ destinataire: '123456' }))).status).toBe(201);
	expect((await call('unides', unides({ destinataire: `+${'1'.repeat(24)}` }))).status).toBe(201);
	expect(sim().ledger.map((s) => s.to)).toEqual(['123456', `+${'1'.repeat(24)}`]);
});

test('a refused (well-formed) number among good ones refuses the request, naming it', async () => {
	sim().refuseNumber('+24107456789');
	expect((await control('refuse-numbers', { numbers: ['+24106234567'] })).status).toBe(200);
	expect(await call('muldes', muldes({ numeros: ['+24106123456', '+24107456789'] }))).toMatchObject({
		status: 400,
		json: { error: 'Numéro invalide: +24107456789' },
	});
	expect(await call('unides', unides({ destinataire: '+24106234567' }))).toMatchObject({ status: 400, json: { error: 'Numéro invalide: +24106234567' } });
	const state = (await (await fetch(`${sim().url}/__sandbox/state`)).json()) as { refusedNumbers: string[] };
	expect(state.refusedNumbers.sort()).toEqual(['+24106234567', '+24107456789']);
	expect(sim().ledger).toEqual([]);
});

test('MULDESP schedule validation', async () => {
	const refused = async (over: Record<string, unknown>) => {
		const answer = await call('muldesp', muldesp(over));
		expect(answer.status).toBe(400);
		return answer.json.error;
	};
	expect(await refused({ dateDebut: '10/10/2025' })).toMatch(/dateDebut/);
	expect(await refused({ dateFin: '2025-02-30' })).toMatch(/dateFin/);
	expect(await refused({ dateDebut: '2025-10-16' })).toBe('La date de fin doit être postérieure ou égale à la date de début');
	expect(await refused({ nbParJour: 0 })).toBe('nbParJour doit être un entier positif');
	expect(await refused({ nbParJour: 2.5 })).toBe('nbParJour doit être un entier positif');
	expect(await refused({ nbParJour: '100' })).toBe('nbParJour doit être un entier positif');
	expect(await refused({ intervalleMinutes: 0 })).toBe(`intervalleMinutes doit être un entier supérieur ou égal à ${ION_MIN_INTERVAL_MINUTES}`);
	expect(await refused({ intervalleMinutes: -5 })).toMatch(/intervalleMinutes/);
	expect(sim().ledger).toEqual([]);
});

test('prepaid balance: one credit per recipient; a request needing more is refused whole with 500 "Solde insuffisant"', async () => {
	expect((await control('balance', { balance: 4 })).status).toBe(200);
	expect(sim().balance).toBe(4);
	expect((await call('muldes', muldes())).status).toBe(201);
	expect(sim().balance).toBe(1);
	expect(await call('muldes', muldes())).toMatchObject({ status: 500, json: { error: 'Solde insuffisant' } });
	expect(sim().ledger).toHaveLength(3);
	expect(sim().balance).toBe(1);
	expect((await call('unides', unides())).status).toBe(201);
	expect(sim().balance).toBe(0);
	expect(await call('unides', unides())).toMatchObject({ status: 500, json: { error: 'Solde insuffisant' } });
	expect(sim().ledger).toHaveLength(4);
	// Validation comes first: a bad request with no balance is still a 400.
	expect((await call('unides', unides({ destinataire: 'x' }))).status).toBe(400);

	expect((await control('balance', { balance: null })).status).toBe(200);
	expect(sim().balance).toBeUndefined();
	expect((await call('muldes', muldes())).status).toBe(201);
	expect((await control('balance', { balance: -1 })).status).toBe(400);
});

test('a prepaid simulator starts with its balance; reset restores balance, key state, refs and clears everything', async () => {
	const prepaid = await new IonSmsGatewaySimulator({ balance: 2 }).start(0);
	try {
		const post = () =>
			fetch(`${prepaid.baseUrl}muldes`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-api-key': DEFAULT_ION_API_KEY }, body: JSON.stringify(muldes()) });
		expect((await post()).status).toBe(500);
		prepaid.balance = 3;
		expect((await post()).status).toBe(201);
		prepaid.refuseNumber('+24106123456');
		prepaid.keyState = 'expired';
		prepaid.injectFault({ kind: 'status', status: 503 });
		const state = (await (await fetch(`${prepaid.url}/__sandbox/state`)).json()) as Record<string, unknown>;
		expect(state).toMatchObject({ balance: 0, refusedNumbers: ['+24106123456'], keyState: 'expired', requests: 2 });
		expect((await fetch(`${prepaid.url}/__sandbox/reset`, { method: 'POST' })).status).toBe(200);
		expect(prepaid.balance).toBe(2);
		expect(prepaid.keyState).toBe('valid');
		expect(prepaid.ledger).toEqual([]);
		expect(prepaid.requests).toEqual([]);
		expect(prepaid.refusedNumbers.size).toBe(0);
		// No fault left, and refs start again.
		const again = await fetch(`${prepaid.baseUrl}unides`, {
			method: 'POST',
			headers: { 'content-type': 'application/json', 'x-api-key': DEFAULT_ION_API_KEY },
			body: JSON.stringify(unides()),
		});
		expect(again.status).toBe(201);
		expect(await again.json()).toMatchObject({ ref: '000001' });
		expect(prepaid.balance).toBe(1);
	} finally {
		await prepaid.stop();
	}
});

test('other paths are 404, other methods 405', async () => {
	expect(await call('status', unides())).toMatchObject({ status: 404, json: { error: 'Not found' } });
	expect((await fetch(`${sim().url}/api/v1/sms/unides`, { method: 'POST' })).status).toBe(404);
	const get = await fetch(`${sim().baseUrl}unides`, { headers: { 'x-api-key': DEFAULT_ION_API_KEY } });
	expect(get.status).toBe(405);
	expect(await get.json()).toEqual({ error: 'Method not allowed' });
	expect(sim().ledger).toEqual([]);
});
