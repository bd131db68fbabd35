/**
 * ION SMS Gateway request builders and answer readers, over real HTTP to the ION
 * simulator (the node around them: test/workflows/ionSmsGateway.test.ts).
 */
import { campaignWindow, gabonDay, ionSmsGatewayProvider as ion, mapStatut, readLastDay } from '../../nodes/IonSmsGateway/ionSmsGateway.api';
import { ProviderError, type SendJob } from '../../nodes/shared/provider';
import { DEFAULT_TRANSPORT, sendRequest } from '../../nodes/shared/transport';
import { IonSmsGatewaySimulator } from '../sandbox/ionSmsGateway.simulator';
import { useSimulator } from '../helpers/useSimulator';
import { sendJob } from '../helpers/sendJob';

const sim = useSimulator(() => new IonSmsGatewaySimulator({ apiKey: 'ion-key-5f2a9c' }));

const credentials = (apiKey = 'ion-key-5f2a9c') => ion.readCredentials({ apiKey, baseUrl: sim().baseUrl.replace(/\/$/, ''), defaultCountry: 'GA' });
const job = (over: Partial<SendJob> = {}): SendJob => sendJob({ sender: 'ION-Networking', text: 'Bonjour', to: '+24106123456' }, over);
const send = async (j: SendJob, key?: string) => ion.parseSend(await sendRequest(ion.buildSend(j, credentials(key)), DEFAULT_TRANSPORT), j);

test('one number: UNIDES with X-API-Key, ref as messageId, statut mapped', async () => {
	const outcome = await send(job());
	expect(outcome).toMatchObject({ status: 'pending', messageId: '000001', providerStatus: 'EN_ATTENTE', extra: { requestType: 'UNIDES' } });
	expect(sim().requests[0].path).toBe('/api/V1/sms/unides');
	expect(sim().requests[0].headers['x-api-key']).toBe('ion-key-5f2a9c');
	expect(JSON.parse(sim().requests[0].rawBody)).toEqual({ emetteur: 'ION-Networking', corps: 'Bonjour', destinataire: '+24106123456' });
});

test('several numbers: one MULDES', async () => {
	const recipients = ['+24106123456', '+24107000001', '+24174000002'].map((to) => ({ to, itemIndex: 0 }));
	const outcome = await send(job({ recipients }));
	expect(outcome.messageId).toBe('000001');
	expect(JSON.parse(sim().requests[0].rawBody).numeros).toEqual(recipients.map((r) => r.to));
	expect(sim().ledger.map((s) => [s.ref, s.type, s.to])).toEqual(recipients.map((r) => ['000001', 'MULDES', r.to]));
});

test('scheduled: MULDESP with the window in Gabon days; the echo is kept', async () => {
	// 23:30 UTC is already the next day in Gabon (UTC+1).
	const sendAt = new Date('2031-05-09T23:30:00Z');
	const j = job({ operation: 'sendScheduled', sendAt, options: { lastDay: '2031-05-12', smsPerDay: 50, minutesBetweenSms: 5 } });
	expect(campaignWindow(j)).toEqual({ dateDebut: '2031-05-10', dateFin: '2031-05-12', nbParJour: 50, intervalleMinutes: 5 });
	const outcome = await send(j);
	// EN_ATTENTE of a campaign waiting for its first day: scheduled, as the other nodes say.
	expect(outcome).toMatchObject({ status: 'scheduled', providerStatus: 'EN_ATTENTE' });
	expect(outcome.extra).toMatchObject({ requestType: 'MULDESP', window: { dateDebut: '2031-05-10', dateFin: '2031-05-12', nbParJour: 50, intervalleMinutes: 5 } });
	expect(sim().ledger[0].window).toEqual({ dateDebut: '2031-05-10', dateFin: '2031-05-12', nbParJour: 50, intervalleMinutes: 5 });
});

test('scheduled defaults: one day, every recipient that day, the smallest spacing; a last day before the first is refused', () => {
	const recipients = ['+24106123456', '+24107000001'].map((to) => ({ to, itemIndex: 0 }));
	expect(campaignWindow(job({ sendAt: new Date('2031-05-10T08:00:00Z'), recipients }))).toEqual({ dateDebut: '2031-05-10', dateFin: '2031-05-10', nbParJour: 2, intervalleMinutes: 1 });
	expect(() => ion.validateJob!(job({ sendAt: new Date('2031-05-10T08:00:00Z'), options: { lastDay: '2031-05-09' } }))).toThrow(/before the first day \(2031-05-10, Gabon time\)/);
	expect(gabonDay(new Date('2031-12-31T23:00:00Z'))).toBe('2032-01-01');
});

test('401 quotes ION and says what to check', async () => {
	const error = await send(job(), 'wrong-key-123').catch((e: unknown) => e);
	expect(error).toBeInstanceOf(ProviderError);
	expect((error as ProviderError).message).toBe('ION SMS Gateway refused the request (HTTP 401): Clé API invalide');
	expect((error as ProviderError).details.hint).toMatch(/Check the API key/);
});

test('an empty prepaid balance (HTTP 500 "Solde insuffisant") is a definite refusal, other 500s are not', async () => {
	sim().balance = 0;
	const error = (await send(job()).catch((e: unknown) => e)) as ProviderError;
	expect(error.message).toBe('ION SMS Gateway refused the request (HTTP 500): Solde insuffisant');
	expect(error.details).toMatchObject({ httpStatus: 500, ambiguous: false, hint: expect.stringMatching(/top it up/) });
	sim().balance = undefined;
	sim().injectFault({ kind: 'status', status: 500, body: { error: 'Erreur interne' } });
	const other = (await send(job()).catch((e: unknown) => e)) as ProviderError;
	expect(other.details.ambiguous).toBeUndefined();
});

test('statuts: the documented ones and the server\'s others', () => {
	expect(['EN_ATTENTE', 'ENVOYE', 'ECHEC', 'BROUILLON', 'EN_COURS', 'PARTIEL', 'ERREUR', 'ANNULE', 'AUTRE'].map((s) => mapStatut(s))).toEqual([
		'pending',
		'sent',
		'failed',
		'pending',
		'queued',
		'sent',
		'failed',
		'rejected',
		'pending',
	]);
});

test('credential test: an empty UNIDES; a good key passes on the 400, a bad one fails with ION\'s words; nothing sent', async () => {
	const run = async (key: string) => {
		const response = await sendRequest(ion.credentialTest!.build(credentials(key)), DEFAULT_TRANSPORT);
		return ion.credentialTest!.judge(response);
	};
	await expect(run('ion-key-5f2a9c')).resolves.toBeUndefined();
	await expect(run('not-the-key')).rejects.toThrow('ION SMS Gateway refused the API key: Clé API invalide');
	expect(JSON.parse(sim().requests[0].rawBody)).toEqual({});
	expect(sim().ledger).toHaveLength(0);
});

test('Last Day: a date string as written, a Date or Luxon-like value as its Gabon day; anything else is refused', () => {
	expect(readLastDay('2031-05-12', 'UTC')).toBe('2031-05-12');
	// n8n's date picker gives a wall-clock string: its date is the day meant.
	expect(readLastDay('2031-05-12T23:59:00', 'Pacific/Chatham')).toBe('2031-05-12');
	expect(readLastDay(new Date('2031-05-12T23:30:00Z'), 'UTC')).toBe('2031-05-13');
	expect(readLastDay({ toISO: () => '2031-05-12T10:00:00.000Z' }, 'UTC')).toBe('2031-05-12');
	expect(readLastDay('', 'UTC')).toBeUndefined();
	// A DateTime inside Options reaches the node as text in the workflow's zone: the instant's day in Gabon counts.
	expect(readLastDay('2026-11-25T00:45:00.000+13:45', 'Pacific/Chatham')).toBe('2026-11-24');
	expect(readLastDay(null, 'UTC')).toBeUndefined();
	expect(() => readLastDay('2031-02-30', 'UTC')).toThrow(/'Last Day' \("2031-02-30"\) is not a date/);
	expect(() => readLastDay('next friday', 'UTC')).toThrow(/not a date/);
	expect(() => readLastDay(42, 'UTC')).toThrow(/not a date/);
});

test('the window must carry every recipient; SMS Per Day is shared between the requests of an item; pacing values are whole numbers', () => {
	const recipients = ['+24106123456', '+24107000001', '+24174000002'].map((to) => ({ to, itemIndex: 0 }));
	const scheduled = (options: object) => job({ sendAt: new Date('2031-05-10T08:00:00Z'), recipients, options: options as SendJob['options'] });
	expect(() => ion.validateJob!(scheduled({ smsPerDay: 1 }))).toThrow(
		'The window 2031-05-10 to 2031-05-10 (1 day × 1 SMS per day = 1) cannot carry the 3 recipients',
	);
	expect(() => ion.validateJob!(scheduled({ smsPerDay: 1, lastDay: '2031-05-12' }))).not.toThrow();
	// A request carrying 400 of an item's 1000 numbers takes 400/1000 of its SMS per day, rounded up.
	const part = job({ sendAt: new Date('2031-05-10T08:00:00Z'), recipients: Array.from({ length: 400 }, (_, i) => ({ to: `+2410612${String(i).padStart(4, '0')}`, itemIndex: 0 })), itemRecipients: 1000, options: { smsPerDay: 333, lastDay: '2031-05-12' } });
	expect(campaignWindow(part).nbParJour).toBe(134);
	expect(() => ion.validateJob!(scheduled({ smsPerDay: 2.5 }))).toThrow(/'SMS Per Day' \(2.5\) must be a whole number of at least 1/);
	expect(() => ion.validateJob!(scheduled({ minutesBetweenSms: -3 }))).toThrow(/'Minutes Between SMS' \(-3\)/);
	// 0 means "not set": the defaults.
	expect(campaignWindow(scheduled({ smsPerDay: 0, minutesBetweenSms: 0 }))).toMatchObject({ nbParJour: 3, intervalleMinutes: 1 });
});

test('a 400 naming a refused number hands that number to the engine, so the rest can be sent again', async () => {
	sim().refuseNumber('+24107000001');
	const recipients = ['+24106123456', '+24107000001'].map((to) => ({ to, itemIndex: 0 }));
	const error = (await send(job({ recipients })).catch((e: unknown) => e)) as ProviderError;
	expect(error.message).toBe('ION SMS Gateway refused the request (HTTP 400): Numéro invalide: +24107000001');
	expect(error.details.rejectedRecipients).toEqual(['+24107000001']);
	expect(sim().ledger).toHaveLength(0);
});
