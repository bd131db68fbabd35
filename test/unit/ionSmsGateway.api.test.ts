/**
 * ION SMS Gateway request builders and answer readers, over real HTTP to the ION
 * simulator (the node that uses them comes with issue 8).
 */
import { campaignWindow, gabonDay, ionSmsGatewayProvider as ion, mapStatut } from '../../nodes/IonSmsGateway/ionSmsGateway.api';
import { ProviderError, type SendJob } from '../../nodes/shared/provider';
import { closeTransportPools, DEFAULT_TRANSPORT, sendRequest } from '../../nodes/shared/transport';
import { IonSmsGatewaySimulator } from '../sandbox/ionSmsGateway.simulator';

let sim: IonSmsGatewaySimulator;
beforeAll(async () => {
	sim = await new IonSmsGatewaySimulator({ apiKey: 'ion-key-5f2a9c' }).start();
});
beforeEach(() => sim.reset());
afterAll(async () => {
	await sim.stop();
	await closeTransportPools();
});

const credentials = (apiKey = 'ion-key-5f2a9c') => ion.readCredentials({ apiKey, baseUrl: sim.baseUrl.replace(/\/$/, ''), defaultCountry: 'GA' });
const job = (over: Partial<SendJob> = {}): SendJob => ({
	operation: 'send',
	sender: 'ION-Networking',
	text: 'Bonjour',
	recipients: [{ to: '+24106123456', itemIndex: 0 }],
	options: {},
	...over,
});
const send = async (j: SendJob, key?: string) => ion.parseSend(await sendRequest(ion.buildSend(j, credentials(key)), DEFAULT_TRANSPORT), j);

test('one number: UNIDES with X-API-Key, ref as messageId, statut mapped', async () => {
	const outcome = await send(job());
	expect(outcome).toMatchObject({ status: 'pending', messageId: '000001', providerStatus: 'EN_ATTENTE', extra: { requestType: 'UNIDES' } });
	expect(sim.requests[0].path).toBe('/api/V1/sms/unides');
	expect(sim.requests[0].headers['x-api-key']).toBe('ion-key-5f2a9c');
	expect(JSON.parse(sim.requests[0].rawBody)).toEqual({ emetteur: 'ION-Networking', corps: 'Bonjour', destinataire: '+24106123456' });
});

test('several numbers: one MULDES', async () => {
	const recipients = ['+24106123456', '+24107000001', '+24174000002'].map((to) => ({ to, itemIndex: 0 }));
	const outcome = await send(job({ recipients }));
	expect(outcome.messageId).toBe('000001');
	expect(JSON.parse(sim.requests[0].rawBody).numeros).toEqual(recipients.map((r) => r.to));
	expect(sim.ledger.map((s) => [s.ref, s.type, s.to])).toEqual(recipients.map((r) => ['000001', 'MULDES', r.to]));
});

test('scheduled: MULDESP with the window in Gabon days; the echo is kept', async () => {
	// 23:30 UTC is already the next day in Gabon (UTC+1).
	const sendAt = new Date('2031-05-09T23:30:00Z');
	const j = job({ operation: 'sendScheduled', sendAt, options: { lastDay: '2031-05-12', smsPerDay: 50, minutesBetweenSms: 5 } });
	expect(campaignWindow(j)).toEqual({ dateDebut: '2031-05-10', dateFin: '2031-05-12', nbParJour: 50, intervalleMinutes: 5 });
	const outcome = await send(j);
	expect(outcome.extra).toMatchObject({ requestType: 'MULDESP', window: { dateDebut: '2031-05-10', dateFin: '2031-05-12', nbParJour: 50, intervalleMinutes: 5 } });
	expect(sim.ledger[0].window).toEqual({ dateDebut: '2031-05-10', dateFin: '2031-05-12', nbParJour: 50, intervalleMinutes: 5 });
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
	sim.balance = 0;
	const error = (await send(job()).catch((e: unknown) => e)) as ProviderError;
	expect(error.message).toBe('ION SMS Gateway refused the request (HTTP 500): Solde insuffisant');
	expect(error.details).toMatchObject({ httpStatus: 500, ambiguous: false, hint: expect.stringMatching(/top it up/) });
	sim.balance = undefined;
	sim.injectFault({ kind: 'status', status: 500, body: { error: 'Erreur interne' } });
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
	expect(JSON.parse(sim.requests[0].rawBody)).toEqual({});
	expect(sim.ledger).toHaveLength(0);
});
