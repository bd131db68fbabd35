/**
 * The LMT Group simulator itself, over HTTP: it must behave as LMT's manual says, since
 * the LMT node's workflow tests and the examples trust it.
 */
import { DEFAULT_LMT_PASSWORD, LmtGroupSimulator } from '../sandbox/lmtGroup.simulator';
import { useSimulator } from '../helpers/useSimulator';

const sim = useSimulator(() => new LmtGroupSimulator());

const FORM = 'application/x-www-form-urlencoded;charset=utf-8';

async function push(fields: Record<string, string>, contentType = FORM, body?: string): Promise<{ status: number; json: Record<string, unknown> }> {
	const res = await fetch(`${sim().baseUrl}push`, {
		method: 'POST',
		headers: { 'content-type': contentType },
		body: body ?? new URLSearchParams(fields).toString(),
	});
	return { status: res.status, json: (await res.json()) as Record<string, unknown> };
}

const valid = () => ({ api_key: sim().apiKey, password: sim().password, message: 'Bonjour Awa, à demain.', sender: 'CLINIQUE', phone: '237677000001' });

test('a valid push is accepted and lands in the ledger', async () => {
	expect(sim().password).toBe(DEFAULT_LMT_PASSWORD);
	const { status, json } = await push({ ...valid(), flag: 'short_sms' });
	expect(status).toBe(200);
	expect(json).toEqual({ status: 'success', message: 'message sent' });
	expect(sim().ledger).toEqual([{ to: '237677000001', text: 'Bonjour Awa, à demain.', sender: 'CLINIQUE', flag: 'short_sms', acceptedAt: expect.any(Number) }]);
	expect(sim().requests).toHaveLength(1);
});

test('a wrong password (or one sent without form encoding) fails authentication with HTTP 200', async () => {
	expect(await push({ ...valid(), password: 'wrong' })).toEqual({
		status: 200,
		json: { status: 'error', message: 'authentication failed', errros: ['api_key or password is invalid'] },
	});
	// The password pasted into the body unescaped: & = + # and %20 change its meaning.
	const raw = `api_key=${sim().apiKey}&password=${sim().password}&message=x&sender=CLINIQUE&phone=237677000001`;
	expect((await push({}, FORM, raw)).json.message).toBe('authentication failed');
	expect(sim().ledger).toEqual([]);
});

test('missing and bad fields are all listed, credentials checked first', async () => {
	expect((await push({ api_key: sim().apiKey, password: sim().password, flag: 'medium' })).json).toEqual({
		status: 'error',
		message: 'invalid paramerters',
		errros: ['message is required', 'sender is required', 'phone is required', 'flag is invalid'],
	});
	expect((await push({ ...valid(), phone: '12345' })).json).toEqual({ status: 'error', message: 'invalid paramerters', errros: ['phone is invalid'] });
	expect((await push({ ...valid(), phone: '+237677000001' })).json.errros).toEqual(['phone is invalid']);
	expect((await push({ phone: '12345' })).json.message).toBe('authentication failed');
	expect(sim().ledger).toEqual([]);
});

test('a refused number gets "phone is invalid"', async () => {
	const control = await fetch(`${sim().url}/__sandbox/refuse-numbers`, { method: 'POST', body: JSON.stringify({ numbers: ['237677000009'] }) });
	expect(control.status).toBe(200);
	sim().refuseNumber('690000003');
	expect((await push({ ...valid(), phone: '677000009' })).json).toEqual({ status: 'error', message: 'invalid paramerters', errros: ['phone is invalid'] });
	expect((await push({ ...valid(), phone: '237690000003' })).json.errros).toEqual(['phone is invalid']);
	const state = (await (await fetch(`${sim().url}/__sandbox/state`)).json()) as { refusedNumbers: string[] };
	expect(state.refusedNumbers.sort()).toEqual(['237677000009', '237690000003']);
	expect(sim().ledger).toEqual([]);
});

test('a national number (as in LMT\'s PHP example) is accepted and stored as 237…; no flag is null', async () => {
	expect((await push({ ...valid(), phone: '694124344' })).json.status).toBe('success');
	expect(sim().ledger).toEqual([expect.objectContaining({ to: '237694124344', flag: null })]);
});

test('a JSON body is not read (PHP $_POST stays empty), so authentication fails', async () => {
	const { status, json } = await push({}, 'application/json', JSON.stringify(valid()));
	expect(status).toBe(200);
	expect(json.message).toBe('authentication failed');
	expect(sim().ledger).toEqual([]);
});

test('other paths and methods', async () => {
	expect((await fetch(`${sim().baseUrl}pushes`, { method: 'POST' })).status).toBe(404);
	const get = await fetch(`${sim().baseUrl}push`);
	expect(get.status).toBe(405);
	expect(await get.json()).toEqual({ status: 'error', message: 'method not allowed' });
});
