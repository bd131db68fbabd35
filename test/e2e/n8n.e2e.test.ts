/**
 * The packed package in a real n8n (the pinned version, see test/real-n8n/runtime.ts),
 * installed as n8n installs a community package, against the sandbox over loopback:
 * every example workflow run headless with `n8n execute` (MTN Congo, LMT BulkSMS, ION SMS
 * Gateway and Mon SMS PRO, each against its simulator), then n8n as a server for the webhook example and the MTN
 * delivery trigger.
 *
 * With `npm run test:e2e -- --queue` the same tests run on n8n in queue mode (main, webhook
 * processor, two workers, PostgreSQL, Redis): the examples run as the editor's "Execute
 * workflow" runs them, on a worker, and webhooks and the trigger's callbacks go through the
 * webhook processor.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { parse as parseFlatted } from 'flatted';

import { gabonDay } from '../../nodes/IonSmsGateway/ionSmsGateway.api';
import type { IonSmsGatewaySimulator } from '../sandbox/ionSmsGateway.simulator';
import type { LmtGroupSimulator } from '../sandbox/lmtGroup.simulator';
import { DEFAULT_MON_SMS_PRO_CREDIT, type MonSmsProSimulator } from '../sandbox/monSmsPro.simulator';
import type { MtnCongoSimulator } from '../sandbox/mtnCongo.simulator';
import type { OrangeSimulator } from '../sandbox/orange.simulator';
import type { PackedPackage } from '../real-n8n/communityPackage';
import { DELIVERY_WEBHOOK, EXAMPLES, ORANGE_WEBHOOK, sandboxCredentials } from '../real-n8n/examples';
import { nodeOutput, type ExecutionResult, type N8nInstance } from '../real-n8n/instance';
import { preparePackageStack, stackModeFromEnv, type PackageStack } from '../real-n8n/packageStack';
import type { StoredExecution } from '../real-n8n/queueStack';
import { sleep, waitUntil } from '../helpers/waitUntil';
import { executionsOf as executionsIn, restJson } from '../real-n8n/rest';
import { expectNoSecretIn } from '../helpers/secrets';

const work = mkdtempSync(join(tmpdir(), 'africa-sms-e2e-'));
let stack: PackageStack | undefined;
let n8n: N8nInstance;
let mtn: MtnCongoSimulator;
let lmt: LmtGroupSimulator;
let ion: IonSmsGatewaySimulator;
let msp: MonSmsProSimulator;
let orange: OrangeSimulator;
/** The one-time code sent headless; its delivery report goes to the published Orange trigger. */
let orangeMessageId: string;
let pkg: PackedPackage;
let cookie: string;
/** The tracked SMS sent headless; its callbacks are delivered once n8n runs as a server. */
let trackedMessageId: string;
const pathOfTrigger = () => `${stack!.webhookUrl}/webhook/${DELIVERY_WEBHOOK.id}/delivery`;

const executionsOf = (workflowId: string) => executionsIn(n8n.url, cookie, workflowId);

async function executionData(id: string): Promise<ExecutionResult> {
	const execution = await restJson<{ data: string }>(`${n8n.url}/rest/executions/${id}`, cookie);
	return { data: parseFlatted(execution.data) as ExecutionResult['data'] };
}

function expectNoSecret(text: string): void {
	expect(text).not.toContain(mtn.token);
	expect(text).not.toContain(lmt.apiKey);
	expect(text).not.toContain(ion.apiKey);
	expect(text).not.toContain(msp.apiKey);
	// LMT's password travels form-encoded: neither it nor its encoded forms may show.
	expectNoSecretIn(text, [lmt.password]);
}

/** Runs an example to its end; in queue mode, checks that a worker ran it. */
async function execute(workflowId: string): Promise<ExecutionResult> {
	const result = await stack!.execute(workflowId);
	if (stack!.queue) {
		const { id } = result as StoredExecution;
		expect({ execution: id, worker: stack!.queue.workerOf(id)?.options.userFolder }).toEqual({ execution: id, worker: expect.stringContaining('worker-') });
	}
	return result;
}

beforeAll(async () => {
	stack = await preparePackageStack(work, { mode: stackModeFromEnv() });
	({ n8n, mtn, lmt, ion, msp, pkg } = stack);
	orange = stack.byKey.orange as OrangeSimulator;
	const how = stack.queue ? `queue mode (main, webhook processor, ${stack.queue.workers.length} workers, PostgreSQL, Redis)` : 'one process';
	process.stdout.write(`e2e: n8n ${stack.n8nVersion} on Node.js ${stack.runtime.nodeVersion} (tests on ${process.version}), ${how}; ${pkg.name}@${pkg.version}; work folder ${work}\n`);
}, 900_000);

afterAll(async () => {
	await stack?.stop();
});

describe('example workflows run headless (n8n execute)', () => {
	beforeEach(() => {
		mtn.reset();
		lmt.reset();
		ion.reset();
		msp.reset();
	});

	test('one-time code (Orange): n8n gets a token for the credential and keeps it; the SMS goes out once', async () => {
		const result = await execute(EXAMPLES.orangeOtp.id);
		const [sms, ...more] = nodeOutput(result, 'Send the code');
		expect(more).toHaveLength(0);
		expect(sms).toMatchObject({ provider: 'orange', status: 'accepted', to: '+2250700000001', encoding: 'GSM-7', segments: 1 });
		expect(orange.ledger).toEqual([expect.objectContaining({ to: '+2250700000001', id: sms.messageId, text: 'Votre code de connexion : 482913. Il expire dans 10 minutes. Ne le communiquez à personne.' })]);
		expect(orange.tokensIssued).toBe(1);
		// Run again: the token n8n stored with the credential is used, no new one is asked for.
		const again = await execute(EXAMPLES.orangeOtp.id);
		expect(nodeOutput(again, 'Send the code')[0]).toMatchObject({ status: 'accepted' });
		expect(orange.tokensIssued).toBe(1);
		expect(orange.ledger).toHaveLength(2);
		expectNoSecretIn(JSON.stringify([result, again]), [orange.clientSecret, orange.authorizationHeader.replace(/^Basic /, ''), ...orange.issuedTokens]);
		orangeMessageId = String(sms.messageId);
	});

	test('order shipped: the sample event sends one SMS to the customer', async () => {
		const result = await execute(EXAMPLES.orderShipped.id);
		const [sms, ...more] = nodeOutput(result, 'SMS to the customer');
		expect(more).toHaveLength(0);
		const text = 'Bonjour Grâce, votre commande CMD-20431 est partie avec Océan Express. Suivi : https://suivi.example.cg/CMD-20431';
		expect(sms).toMatchObject({ provider: 'mtnCongo', status: 'accepted', to: '242068463499', encoding: 'UCS-2', segments: 2 });
		expect(mtn.ledger).toEqual([expect.objectContaining({ to: '242068463499', text, sender: 'MaBoutique', messageId: sms.messageId })]);
		expectNoSecret(JSON.stringify(result));
	});

	test('campaign with a dry run: the preview sends nothing and costs it; the real send skips the opt-outs and sends the rest once', async () => {
		const result = await execute(EXAMPLES.dryRunCampaign.id);
		const preview = nodeOutput(result, 'Preview (dry run)');
		expect(preview.map((p) => p.status)).toEqual(['preview', 'suppressed', 'preview', 'suppressed', 'failed']);
		expect(preview[0]).toMatchObject({ text: 'Bonjour Grâce, -20% sur toute la boutique ce week-end ! Répondez STOP pour ne plus recevoir nos SMS.', encoding: 'UCS-2', segments: 2, estimatedCost: 50 });
		expect(preview[0].summary).toMatchObject({ dryRun: true, items: 5, recipients: 2, segments: 4, requests: 1, failing: 1, suppressed: 2, pricePerSegment: 25, estimatedCost: 100 });
		const sent = nodeOutput(result, 'Send the campaign');
		expect(sent.map((s) => s.status)).toEqual(['accepted', 'suppressed', 'accepted', 'suppressed', 'failed']);
		expect(sent.map((s) => s.to)).toEqual(['242068463499', '242050010101', '242066000001', '242066120042', '06 12']);
		// MTN got one request, after the preview sent none: the two customers not on the list.
		expect(mtn.requests.filter((r) => r.path === '/api/sms/')).toHaveLength(1);
		expect(mtn.ledger.map((s) => [s.to, s.text])).toEqual([
			['242068463499', 'Bonjour Grâce, -20% sur toute la boutique ce week-end ! Répondez STOP pour ne plus recevoir nos SMS.'],
			['242066000001', 'Bonjour Aïcha, -20% sur toute la boutique ce week-end ! Répondez STOP pour ne plus recevoir nos SMS.'],
		]);
		expectNoSecret(JSON.stringify(result));
	});

	test('quiet hours and Check Balance First (a test workflow): inside the window MTN schedules for its end and LMT holds back with sendAfter; Mon SMS PRO short of credit sends nothing', async () => {
		msp.credit = 0;
		// A window around now in West Africa Time (Brazzaville and Douala): 90 minutes each side, as n8n's Luxon computes it.
		const wat = "$now.setZone('Africa/Douala')";
		const window = { quietHoursStart: `={{ ${wat}.minus({ minutes: 90 }).toFormat('HH:mm') }}`, quietHoursEnd: `={{ ${wat}.plus({ minutes: 90 }).toFormat('HH:mm') }}` };
		const id = 'AfSmsTestQuiet01';
		const sms = (n: number, name: string, type: string, credential: [string, string, string], parameters: Record<string, unknown>) => ({
			id: `e2e00000-0000-4000-8000-00000000000${n}`,
			name,
			type: `${pkg.name}.${type}`,
			typeVersion: 1,
			position: [440, n * 160],
			parameters,
			credentials: { [credential[0]]: { id: credential[1], name: credential[2] } },
			onError: 'continueRegularOutput',
		});
		const workflow = {
			id,
			name: 'e2e: quiet hours and Check Balance First',
			nodes: [
				{ id: 'e2e00000-0000-4000-8000-000000000001', name: 'Start', type: 'n8n-nodes-base.manualTrigger', typeVersion: 1, position: [0, 160], parameters: {} },
				{
					id: 'e2e00000-0000-4000-8000-000000000002',
					name: 'Customers',
					type: 'n8n-nodes-base.code',
					typeVersion: 2,
					position: [220, 160],
					parameters: { jsCode: "return [{ json: { cg: '+242 06 846 34 99', cm: '+237 6 94 12 43 44', ci: '+225 07 00 00 00 01' } }];" },
				},
				sms(3, 'MTN in quiet hours', 'mtnCongoSms', ['mtnCongoSmsApi', 'AfSmsSandboxMtn1', 'MTN Congo (sandbox)'], { operation: 'sendBulk', sender: 'MaBoutique', phone: '={{ $json.cg }}', message: 'Rappel : rendez-vous demain', options: window }),
				sms(4, 'LMT in quiet hours', 'lmtBulkSms', ['lmtBulkSmsApi', 'AfSmsSandboxLmt1', 'LMT BulkSMS (sandbox)'], { operation: 'sendBulk', sender: 'BOUTIQUE', phone: '={{ $json.cm }}', message: 'Rappel : rendez-vous demain', options: window }),
				sms(5, 'Mon SMS PRO with a balance check', 'monSmsPro', ['monSmsProApi', 'AfSmsSandboxMsp1', 'Mon SMS PRO (sandbox)'], { resource: 'campaign', operation: 'sendBulk', sender: 'MONSMSPRO', phone: '={{ $json.ci }}', message: 'Promo', options: { checkBalance: true } }),
			],
			connections: {
				Start: { main: [[{ node: 'Customers', type: 'main', index: 0 }]] },
				Customers: { main: [[{ node: 'MTN in quiet hours', type: 'main', index: 0 }, { node: 'LMT in quiet hours', type: 'main', index: 0 }, { node: 'Mon SMS PRO with a balance check', type: 'main', index: 0 }]] },
			},
			settings: { executionOrder: 'v1' },
		};
		const file = join(work, 'quiet-hours-balance.json');
		writeFileSync(file, JSON.stringify(workflow));
		await n8n.importWorkflow(file);
		const result = await execute(id);
		const [mtnItem] = nodeOutput(result, 'MTN in quiet hours');
		const [lmtItem] = nodeOutput(result, 'LMT in quiet hours');
		const [mspItem] = nodeOutput(result, 'Mon SMS PRO with a balance check');
		// MTN schedules to the minute: the window's end; LMT cannot schedule: held back until then.
		expect(mtnItem).toMatchObject({ status: 'scheduled', sendAt: expect.any(String), quietHours: expect.stringMatching(/^\d\d:\d\d–\d\d:\d\d$/) });
		const end = Date.parse(String(mtnItem.sendAt));
		expect(end - Date.now()).toBeGreaterThan(60 * 60_000);
		expect(end - Date.now()).toBeLessThanOrEqual(91 * 60_000);
		expect(mtn.requests.filter((r) => r.path === '/api/sms/')).toHaveLength(1);
		expect(lmtItem).toMatchObject({ status: 'deferred', messageId: null, sendAfter: new Date(end).toISOString() });
		expect(lmt.requests).toEqual([]);
		expect(mspItem).toMatchObject({ status: 'failed', error: 'Mon SMS PRO reports 0 credits left; this run needs 1 SMS segment: nothing was sent. Top up the Mon SMS PRO account, or send fewer items.' });
		expect(msp.requests.map((r) => r.path)).toEqual(['/v1/user/credit']);
		expect(msp.ledger).toHaveLength(0);
		expectNoSecret(JSON.stringify(result));
	});

	test('campaign: personalised texts in one request, the bad number reported in the summary', async () => {
		const result = await execute(EXAMPLES.campaign.id);
		const sends = nodeOutput(result, 'Personalised SMS');
		expect(sends.map((s) => s.status)).toEqual(['accepted', 'accepted', 'accepted', 'accepted', 'failed']);
		const [summary] = nodeOutput(result, 'Campaign summary');
		expect(summary).toMatchObject({
			recipients: 5,
			accepted: 4,
			failed: 1,
			acceptedRecipients: ['242068463499', '242050010101', '242066000001', '242066120042'],
			failures: [{ to: '06 12', error: expect.stringMatching(/phone|number/i) }],
		});
		expect(summary.messageIds).toHaveLength(1);
		// What MTN received: one request carrying the four recipients, each with their own text.
		const sendRequests = mtn.requests.filter((r) => r.path === '/api/sms/');
		expect(sendRequests).toHaveLength(1);
		expect(mtn.ledger.map((s) => [s.to, s.text])).toEqual([
			['242068463499', 'Bonjour Grâce, votre facture de 12 500 FCFA est disponible. Merci de votre confiance !'],
			['242050010101', 'Bonjour Didier, votre facture de 8 000 FCFA est disponible. Merci de votre confiance !'],
			['242066000001', 'Bonjour Aïcha, votre facture de 23 750 FCFA est disponible. Merci de votre confiance !'],
			['242066120042', 'Bonjour Jean-Paul, votre facture de 4 200 FCFA est disponible. Merci de votre confiance !'],
		]);
		expectNoSecret(JSON.stringify(result));
	});

	test('appointment reminders (LMT BulkSMS): one personalised SMS per valid number, the bad one in the summary', async () => {
		const result = await execute(EXAMPLES.appointmentReminders.id);
		expect(result).toMatchObject({ finished: true, status: 'success' });
		expect(result.data.resultData.error).toBeUndefined();
		const sends = nodeOutput(result, 'Appointment reminder SMS');
		expect(sends.map((s) => s.status)).toEqual(['accepted', 'accepted', 'accepted', 'accepted', 'failed']);
		expect(sends[0]).toMatchObject({ provider: 'lmtGroup', operation: 'sendPersonalized', messageId: null, to: '237677000001', encoding: 'GSM-7', segments: 1 });
		const [summary, ...more] = nodeOutput(result, 'Summary');
		expect(more).toHaveLength(0);
		expect(summary).toEqual({ sent: 4, failed: 1, failures: [{ phone: '12345', name: 'Brice Tchami', error: expect.stringContaining('12345') }] });
		// What LMT received: one push per patient (LMT takes one number per request), each text filled in.
		const reminder = (name: string, date: string, time: string, place: string) =>
			`Bonjour ${name}, rappel de votre rendez-vous le ${date} à ${time} (${place}). Répondez STOP pour ne plus recevoir.`;
		expect(lmt.requests).toHaveLength(4);
		const received = lmt.ledger.map(({ to, text, sender, flag }) => ({ to, text, sender, flag })).sort((a, b) => a.to.localeCompare(b.to));
		expect(received).toEqual([
			{ to: '237655443322', text: reminder('Paul Etoundi', 'mardi 08/12/2026', '8h45', 'Annexe Akwa, Douala'), sender: 'CLINIQUE', flag: 'short_sms' },
			{ to: '237677000001', text: reminder('Awa Ngono', 'lundi 07/12/2026', '9h30', 'Clinique Bonapriso, Douala'), sender: 'CLINIQUE', flag: 'short_sms' },
			{ to: '237677000002', text: reminder('Jean-Marie Fotso', 'lundi 07/12/2026', '10h15', 'Clinique Bonapriso, Douala'), sender: 'CLINIQUE', flag: 'short_sms' },
			{ to: '237690000003', text: reminder('Aminatou Bello', 'lundi 07/12/2026', '11h00', 'Annexe Akwa, Douala'), sender: 'CLINIQUE', flag: 'short_sms' },
		]);
		expectNoSecret(JSON.stringify(result));
		expectNoSecret(stack!.logText());
	});

	test('appointment reminders (LMT BulkSMS): a number LMT itself refuses (HTTP 200, "errros") fails alone', async () => {
		lmt.refuseNumber('237690000003');
		const result = await execute(EXAMPLES.appointmentReminders.id);
		const [summary] = nodeOutput(result, 'Summary');
		expect(summary).toMatchObject({
			sent: 3,
			failed: 2,
			failures: [
				{ phone: '237690000003', name: 'Aminatou Bello', error: expect.stringContaining('phone is invalid') },
				{ phone: '12345', name: 'Brice Tchami' },
			],
		});
		expect(lmt.ledger.map((s) => s.to).sort()).toEqual(['237655443322', '237677000001', '237677000002']);
		expectNoSecret(JSON.stringify(result));
	});

	test('promotion window (ION SMS Gateway): one MULDESP over three Gabon days, the echo in the summary', async () => {
		const before = gabonDay(new Date());
		const result = await execute(EXAMPLES.promoWindow.id);
		const [sms] = nodeOutput(result, 'Schedule promotion SMS');
		const phones = ['+24106123456', '+24106234567', '+24177123456', '+24106998877'];
		expect(sms).toMatchObject({ provider: 'ionSmsGateway', operation: 'sendScheduled', status: 'scheduled', providerStatus: 'EN_ATTENTE', to: phones.join(','), requestType: 'MULDESP' });
		const window = sms.window as { dateDebut: string; dateFin: string; nbParJour: number; intervalleMinutes: number };
		// Tomorrow 9:00 in the workflow's zone (n8n's default, New York) is Gabon's today (when Gabon is
		// already past midnight and New York is not), tomorrow or the day after; the last day is later.
		expect(window.dateDebut >= before).toBe(true);
		expect((Date.parse(window.dateFin) - Date.parse(window.dateDebut)) / 86_400_000).toBeGreaterThanOrEqual(1);
		expect(window).toMatchObject({ nbParJour: 2, intervalleMinutes: 2 });
		const [summary] = nodeOutput(result, 'Campaign summary');
		expect(summary).toMatchObject({ scheduled: true, ref: sms.messageId, recipients: 4, ionStatus: 'EN_ATTENTE' });
		expect(String(summary.window)).toContain(`${window.dateDebut} to ${window.dateFin} (Gabon time), 2 SMS per day, 2 min apart`);
		// What ION received: one MULDESP with the four opted-in numbers and the window.
		expect(ion.requests.map((r) => r.path)).toEqual(['/api/V1/sms/muldesp']);
		expect(ion.ledger.map((s) => [s.to, s.type, s.sender])).toEqual(phones.map((to) => [to, 'MULDESP', 'BOUTIQUE']));
		expect(ion.ledger[0].window).toEqual(window);
		expectNoSecret(JSON.stringify(result));
	});

	test('promotion window (ION SMS Gateway): an empty prepaid balance fails with ION\'s words and nothing is scheduled', async () => {
		ion.balance = 0;
		const error = await execute(EXAMPLES.promoWindow.id).catch((e: Error) => e);
		expect(String(error)).toMatch(/Solde insuffisant/);
		expect(ion.ledger).toHaveLength(0);
	});

	test('credit-checked campaign (Mon SMS PRO): the credit read, the group saved, one personalised SMS per customer, the report', async () => {
		const result = await execute(EXAMPLES.creditCampaign.id);
		expect(result).toMatchObject({ finished: true, status: 'success' });
		expect(result.data.resultData.error).toBeUndefined();
		expect(nodeOutput(result, 'Credit balance')).toEqual([{ credit: DEFAULT_MON_SMS_PRO_CREDIT }]);
		const customers = [
			['2250700000001', 'Aminata', '15000'],
			['2250500000002', 'Koffi', '7500'],
			['2250100000003', 'Aïcha', '22000'],
			['2250708091004', 'Adjoua', '5000'],
			['2250544332205', 'Mamadou', '12500'],
		];
		const phones = customers.map(([phone]) => phone);
		const text = (firstName: string, amount: string) => `Bonjour ${firstName}, votre avoir de ${amount} FCFA vous attend en boutique jusqu'à samedi. MaBoutique Abidjan`;

		// What Mon SMS PRO received: the balance, the group with the five numbers, then (each text
		// being different) one campaign per customer, named as in the node, with the contact's name.
		const bodies = msp.requests.map((r) => ({ path: r.path, body: JSON.parse(r.rawBody) as Record<string, unknown> }));
		expect(bodies.map((b) => b.path)).toEqual(['/v1/user/credit', '/v1/group/create', ...customers.map(() => '/v1/campaign/create')]);
		expect(bodies[1].body).toMatchObject({ name: 'Clients fidèles', contacts: phones.map((phone) => ({ phone })) });
		const creates = bodies.slice(2).map((b) => b.body);
		expect(creates.map(({ contacts, text: sent, senderId, name, type }) => ({ contacts, text: sent, senderId, name, type })).sort((a, b) => String(a.text).localeCompare(String(b.text)))).toEqual(
			customers
				.map(([phone, firstName, amount]) => ({ contacts: [{ phone, name: firstName }], text: text(firstName, amount), senderId: 'MONSMSPRO', name: 'Avoirs clients', type: 'SMS' }))
				.sort((a, b) => a.text.localeCompare(b.text)),
		);
		expect([...msp.groups.values()].map((g) => ({ name: g.name, phones: [...g.contactIds].map((id) => msp.contacts.get(id)?.phone) }))).toEqual([{ name: 'Clients fidèles', phones }]);
		// The ledger: one SMS per customer with its own text; Aïcha's "ï" makes hers Unicode, in 2 parts.
		const ledger = [...msp.ledger].sort((a, b) => a.to.localeCompare(b.to));
		expect(ledger.map(({ to, text: sent, senderId, segments }) => ({ to, text: sent, senderId, segments }))).toEqual(
			[...customers]
				.sort(([a], [b]) => a.localeCompare(b))
				.map(([to, firstName, amount]) => ({ to, text: text(firstName, amount), senderId: 'MONSMSPRO', segments: firstName === 'Aïcha' ? 2 : 1 })),
		);
		const spent = msp.ledger.reduce((sum, sms) => sum + sms.segments, 0);
		expect(spent).toBe(6);
		expect(msp.credit).toBe(DEFAULT_MON_SMS_PRO_CREDIT - spent);

		const sends = nodeOutput(result, 'Personalised campaign');
		expect(sends.map((s) => [s.status, s.to, s.segments])).toEqual(customers.map(([phone, firstName]) => ['sent', phone, firstName === 'Aïcha' ? 2 : 1]));
		const [report, ...more] = nodeOutput(result, 'Report');
		expect(more).toHaveLength(0);
		const [group] = msp.groups.values();
		expect(report).toEqual({
			credit: DEFAULT_MON_SMS_PRO_CREDIT,
			creditUsed: spent,
			creditLeft: msp.credit,
			sent: 5,
			failed: 0,
			campaigns: expect.arrayContaining([...msp.campaigns.keys()]) as unknown,
			group: { id: group.id, name: 'Clients fidèles', contacts: 5 },
			failures: [],
		});
		expect(report.campaigns).toHaveLength(msp.campaigns.size);
		expect(msp.campaigns.size).toBe(5);
		expectNoSecret(JSON.stringify(result));
	});

	test('credit-checked campaign (Mon SMS PRO): too little credit stops the workflow before anything is sent', async () => {
		msp.credit = 3;
		const error = await execute(EXAMPLES.creditCampaign.id).catch((e: Error) => e);
		expect(error).toBeInstanceOf(Error);
		expect(String(error)).toContain('Not enough Mon SMS PRO credit: 3 left, this campaign needs 6 (5 recipients, 6 SMS). Top up your account, then run the workflow again.');
		expect(msp.requests.map((r) => r.path)).toEqual(['/v1/user/credit']);
		expect(msp.ledger).toHaveLength(0);
		expect(msp.campaigns.size).toBe(0);
		expect(msp.groups.size).toBe(0);
		expect(msp.credit).toBe(3);
		expectNoSecret(String(error));
	});

	test('delivery tracking (1/2): the SMS carries the trigger URL as its callback', async () => {
		const result = await execute(EXAMPLES.deliverySend.id);
		const [sms] = nodeOutput(result, 'Send with delivery callback');
		expect(sms).toMatchObject({ status: 'accepted', to: '242068463499,242050010101' });
		expect(mtn.ledger.map((s) => [s.to, s.callbackUrl])).toEqual([
			['242068463499', `${pathOfTrigger()}?secret=${DELIVERY_WEBHOOK.secret}`],
			['242050010101', `${pathOfTrigger()}?secret=${DELIVERY_WEBHOOK.secret}`],
		]);
		trackedMessageId = String(sms.messageId);
	});
});

describe('n8n as a server (published workflows)', () => {
	beforeAll(async () => {
		cookie = await stack!.serve();
		await stack!.waitForWebhook(`${DELIVERY_WEBHOOK.id}/delivery`);
		await stack!.waitForWebhook('order-shipped');
	}, 180_000);

	test('delivery tracking (2/2): MTN callbacks start the trigger workflow; a wrong secret starts nothing', async () => {
		// MTN reports the SMS sent headless above: one callback for its two recipients.
		mtn.undeliverable.add('242050010101');
		expect(await mtn.deliver(trackedMessageId)).toBe(2);
		expect(mtn.callbacks).toEqual([expect.objectContaining({ status: 200 })]);
		const [execution] = await waitUntil(
			async () => {
				const list = await executionsOf(EXAMPLES.deliveryTrigger.id);
				return list.length > 0 && list.every((e) => e.status === 'success') && list;
			},
			{ timeoutMs: 30_000, what: 'the trigger execution' },
		);
		const recorded = nodeOutput(await executionData(execution.id), 'Record delivery status');
		const messageId = trackedMessageId;
		expect(recorded).toEqual([
			expect.objectContaining({ messageId, to: '242068463499', status: 'delivered', providerStatus: expect.stringContaining('1'), previousStatus: null }),
			expect.objectContaining({ messageId, to: '242050010101', status: 'undelivered', previousStatus: null }),
		]);

		const payload = JSON.stringify((mtn.callbacks[0] as { payload: unknown }).payload);
		const wrong = await fetch(`${pathOfTrigger()}?secret=not-the-secret`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: payload });
		expect(wrong.status).toBe(401);
		const none = await fetch(pathOfTrigger(), { method: 'POST', headers: { 'content-type': 'application/json' }, body: payload });
		expect(none.status).toBe(401);
		await sleep(3000);
		expect(await executionsOf(EXAMPLES.deliveryTrigger.id)).toHaveLength(1);
	});

	test('opt-outs and delivery reports (Orange): publishing subscribed the URL; a STOP and the report of the code sent headless start the trigger', async () => {
		await stack!.waitForWebhook(`${ORANGE_WEBHOOK.id}/orange`);
		const url = `${stack!.webhookUrl}/webhook/${ORANGE_WEBHOOK.id}/orange?secret=${ORANGE_WEBHOOK.secret}`;
		// Register With Orange: publishing the workflow subscribed its URL to Orange's delivery reports.
		expect([...orange.subscriptions.values()].map((s) => s.notifyURL)).toEqual([url]);
		expect((await orange.sendIncomingSms(url, { from: '+2250700000077', text: 'STOP' })).status).toBe(200);
		// The report goes where Orange's subscription says.
		const [report] = await orange.deliverReports({ ids: [orangeMessageId], status: 'DeliveredToTerminal' });
		expect(report).toMatchObject({ url, status: 200 });
		const executions = await waitUntil(
			async () => {
				const list = await executionsOf(EXAMPLES.orangeOptOut.id);
				return list.length === 2 && list.every((e) => e.status === 'success') && list;
			},
			{ timeoutMs: 30_000, what: 'the two Orange trigger executions' },
		);
		const recorded = (await Promise.all(executions.map(async (e) => nodeOutput(await executionData(e.id), 'Record opt-outs and statuses')))).flat();
		expect(recorded).toEqual(
			expect.arrayContaining([
				expect.objectContaining({ event: 'incomingSms', from: '+2250700000077', text: 'STOP', optOut: true, doNotSendTo: 1 }),
				expect.objectContaining({ event: 'deliveryReport', messageId: orangeMessageId, to: '+2250700000001', status: 'delivered', providerStatus: 'DeliveredToTerminal' }),
			]),
		);
		const wrong = await fetch(url.replace(ORANGE_WEBHOOK.secret, 'not-the-secret'), { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
		expect(wrong.status).toBe(401);

		// Unpublishing the workflow, as the editor does, removes its subscription at Orange.
		const unpublished = await fetch(`${n8n.url}/rest/workflows/${EXAMPLES.orangeOptOut.id}/deactivate`, { method: 'POST', headers: { cookie, 'content-type': 'application/json' }, body: '{}' });
		expect(unpublished.status).toBe(200);
		await waitUntil(async () => orange.subscriptions.size === 0, { timeoutMs: 15_000, what: "the subscription's removal" });
		// n8n runs the delete hook once per webhook of the trigger (its POST and its GET): the second finds it gone (404).
		const deletes = new Set(orange.requests.filter((r) => r.method === 'DELETE').map((r) => r.path));
		expect([...deletes]).toEqual([expect.stringMatching(/^\/smsmessaging\/v1\/outbound\/.+\/subscriptions\/.+/)]);
	});

	test("Orange's credential test as the editor runs it on a saved credential: a token, the contracts read, no SMS", async () => {
		const saved = sandboxCredentials(stack!).find((c) => c.type === 'orangeSmsApi')!;
		const test = async (data: Record<string, string>) => {
			const res = await fetch(`${n8n.url}/rest/credentials/test`, {
				method: 'POST',
				headers: { cookie, 'content-type': 'application/json' },
				body: JSON.stringify({ credentials: { id: saved.id, name: saved.name, type: saved.type, data } }),
			});
			expect(res.status).toBe(200);
			return ((await res.json()) as { data: { status: string; message: string } }).data;
		};
		const sent = orange.ledger.length;
		expect(await test(saved.data as Record<string, string>)).toEqual({ status: 'OK', message: expect.stringMatching(/^Connection successful/) });
		const refused = await test({ ...(saved.data as Record<string, string>), clientSecret: 'not-the-secret' });
		expect(refused.status).toBe('Error');
		expect(orange.ledger).toHaveLength(sent);
		expectNoSecretIn(JSON.stringify(refused), [orange.clientSecret, 'not-the-secret']);
	});

	test('every node and credential of the package is loaded, with its icons', async () => {
		const types = async (file: string) => (await (await fetch(`${n8n.url}/types/${file}`, { headers: { cookie } })).json()) as Array<{ name: string; iconUrl?: unknown }>;
		const nodes = await types('nodes.json');
		type Manifest = { n8n: { nodes: string[]; credentials: string[] }; dependencies: Record<string, string> };
		const installedIn = (instance: N8nInstance) => join(instance.options.userFolder, '.n8n', 'nodes', 'node_modules', pkg.name);
		const manifest = JSON.parse(readFileSync(join(installedIn(n8n), 'package.json'), 'utf8')) as Manifest;
		// On every instance (queue mode: main, webhook processor, workers), our runtime dependencies
		// sit inside the package, as n8n's install leaves them (n8n's own node_modules, reachable
		// through NODE_PATH, must not be what makes it work).
		for (const instance of stack!.instances) {
			const installed = installedIn(instance);
			expect((JSON.parse(readFileSync(join(installed, 'package.json'), 'utf8')) as Manifest).n8n).toEqual(manifest.n8n);
			for (const dependency of Object.keys(manifest.dependencies)) {
				const { version } = JSON.parse(readFileSync(join(installed, 'node_modules', dependency, 'package.json'), 'utf8')) as { version: string };
				expect(`${dependency}@${version}`).toBe(`${dependency}@${manifest.dependencies[dependency]}`);
			}
		}
		const ours = nodes.filter((n) => n.name.startsWith(`${pkg.name}.`));
		// The type name is the file's class name with a lower-case first letter (MtnCongoSms.node.js -> mtnCongoSms).
		const typeName = (file: string) => file.split('/').pop()!.replace(/\.(node|credentials)\.js$/, '').replace(/^./, (c) => c.toLowerCase());
		// n8n adds an AI-tool variant "<name>Tool" of every node marked usableAsTool.
		const declared = manifest.n8n.nodes.map((file) => `${pkg.name}.${typeName(file)}`);
		expect(ours.map((n) => n.name).filter((name) => !name.endsWith('Tool')).sort()).toEqual(declared.sort());
		expect(ours.map((n) => n.name)).toEqual(expect.arrayContaining([`${pkg.name}.mtnCongoSmsTool`, `${pkg.name}.lmtBulkSmsTool`, `${pkg.name}.ionSmsGatewayTool`, `${pkg.name}.monSmsProTool`]));
		const declaredCredentials = manifest.n8n.credentials.map(typeName);
		const ourCredentials = (await types('credentials.json')).filter((c) => declaredCredentials.includes(c.name));
		expect(ourCredentials.map((c) => c.name).sort()).toEqual(declaredCredentials.sort());
		for (const item of [...ours, ...ourCredentials]) {
			const icons = typeof item.iconUrl === 'string' ? [item.iconUrl] : Object.values(item.iconUrl as Record<string, string>);
			expect(icons.length).toBeGreaterThan(0);
			for (const icon of icons) {
				const res = await fetch(`${n8n.url}/${icon}`, { headers: { cookie } });
				expect({ icon, status: res.status }).toEqual({ icon, status: 200 });
				expect(await res.text()).toMatch(/^<svg|^<\?xml/);
			}
		}
		const log = stack!.logText();
		// What n8n logs when a community package does not load (load-nodes-and-credentials, scan-directory-for-packages).
		// Stack traces are left out: the headless runs that fail on purpose (ION's empty balance) print
		// theirs, whose frames name our files (nodes/shared/failures.ts) and nodes.
		const stackTrace = /^\s+at |"stack": /;
		const problems = log
			.split('\n')
			.filter((line) => !stackTrace.test(line))
			.filter((line) => /Failed to load package|Skipping package|n8n-nodes-africa-sms.*(error|fail|warn|cannot)|(mtnCongo|lmtBulkSms|ionSmsGateway|monSmsPro).*(error|fail|warn|unknown)/i.test(line));
		expect(problems).toEqual([]);
	});

	test("credential tests as the editor's Test button runs them: LMT's, ION's and Mon SMS PRO's node methods, MTN's declarative test", async () => {
		const testCredential = async (type: string, data: Record<string, string>) => {
			const res = await fetch(`${n8n.url}/rest/credentials/test`, {
				method: 'POST',
				headers: { cookie, 'content-type': 'application/json' },
				body: JSON.stringify({ credentials: { id: '', name: 'test', type, data } }),
			});
			expect(res.status).toBe(200);
			return ((await res.json()) as { data: { status: string; message: string } }).data;
		};
		const [mtnCredential, lmtCredential, ionCredential, mspCredential] = sandboxCredentials(stack!).map((c) => c.data as Record<string, string>);
		lmt.reset();
		expect(await testCredential('lmtBulkSmsApi', lmtCredential)).toEqual({ status: 'OK', message: 'Connection successful' });
		const refused = await testCredential('lmtBulkSmsApi', { ...lmtCredential, password: 'not the password' });
		expect(refused).toEqual({ status: 'Error', message: expect.stringMatching(/^LMT BulkSMS refused the API key or the password/) });
		// The tests reached the simulator and sent no SMS.
		expect(lmt.requests).toHaveLength(2);
		expect(lmt.ledger).toHaveLength(0);
		expect((await testCredential('mtnCongoSmsApi', mtnCredential)).status).toBe('OK');
		const badToken = await testCredential('mtnCongoSmsApi', { ...mtnCredential, token: 'not-the-token' });
		expect(badToken).toEqual({ status: 'Error', message: expect.stringMatching(/MTN Congo refused the token/) });
		ion.reset();
		expect(await testCredential('ionSmsGatewayApi', ionCredential)).toEqual({ status: 'OK', message: 'Connection successful' });
		const badKey = await testCredential('ionSmsGatewayApi', { ...ionCredential, apiKey: 'not-the-key' });
		expect(badKey).toEqual({ status: 'Error', message: 'ION SMS Gateway refused the API key: Clé API invalide' });
		expect(ion.requests).toHaveLength(2);
		expect(ion.ledger).toHaveLength(0);
		msp.reset();
		expect(await testCredential('monSmsProApi', mspCredential)).toEqual({ status: 'OK', message: 'Connection successful' });
		const mspBadKey = await testCredential('monSmsProApi', { ...mspCredential, apiKey: 'not-the-key' });
		expect(mspBadKey).toEqual({ status: 'Error', message: expect.stringMatching(/^Mon SMS PRO refused the API key/) });
		// Both read the credit balance (user/credit): nothing sent, nothing spent.
		expect(msp.requests.map((r) => r.path)).toEqual(['/v1/user/credit', '/v1/user/credit']);
		expect(msp.ledger).toHaveLength(0);
		expect(msp.credit).toBe(DEFAULT_MON_SMS_PRO_CREDIT);
		expectNoSecret(JSON.stringify([refused, badToken, badKey, mspBadKey]));
	});

	test("the editor's node list: no generic Custom API Call, the trigger's event in its own words", async () => {
		type Described = { name: string; properties: Array<{ name: string; options?: Array<{ value: unknown; action?: string }> }> };
		const nodes = (await (await fetch(`${n8n.url}/types/nodes.json`, { headers: { cookie } })).json()) as Described[];
		const ours = nodes.filter((n) => n.name.startsWith(`${pkg.name}.`) && !n.name.endsWith('Tool'));
		// n8n adds "Custom API Call" (__CUSTOM_API_CALL__) to the operations of nodes whose credential has `authenticate`:
		// only Orange's has one, on purpose (docs/departures.md, "Orange's token goes through n8n's helper").
		for (const node of ours.filter((n) => n.name !== `${pkg.name}.orangeSms`)) {
			const operation = node.properties.find((p) => p.name === 'operation');
			if (operation) expect({ node: node.name, values: operation.options?.map((o) => o.value) }).toEqual({ node: node.name, values: expect.not.arrayContaining(['__CUSTOM_API_CALL__']) });
		}
		// The node picker lists a trigger's events (a property named Events) under "Triggers".
		const trigger = ours.find((n) => n.name === `${pkg.name}.mtnCongoSmsTrigger`);
		expect(trigger?.properties.find((p) => p.name === 'events')?.options?.map((o) => o.action)).toEqual(['On SMS delivery report']);
	});

	test('order shipped: an event POSTed to the production webhook sends the SMS and answers its result', async () => {
		mtn.reset();
		const event = { orderId: 'CMD-20499', customer: { name: 'Paul', phone: '+242 05 001 01 01' }, carrier: 'DHL', trackingUrl: 'https://suivi.example.cg/CMD-20499' };
		const res = await fetch(`${stack!.webhookUrl}/webhook/order-shipped`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(event) });
		const answer = (await res.json()) as Record<string, unknown>;
		expect(res.status).toBe(200);
		expect(answer).toMatchObject({ provider: 'mtnCongo', status: 'accepted', to: '242050010101', encoding: 'GSM-7', segments: 1 });
		expect(mtn.ledger).toEqual([
			expect.objectContaining({ to: '242050010101', text: 'Bonjour Paul, votre commande CMD-20499 est partie avec DHL. Suivi : https://suivi.example.cg/CMD-20499' }),
		]);
	});

	test('order shipped: the same order posted twice at once, then twice more in a row, sends one SMS (Idempotency Key); the repeats name the first send', async () => {
		mtn.reset();
		const orderId = `CMD-${Date.now()}`;
		const event = { orderId, customer: { name: 'Awa', phone: '+242 06 500 12 34' }, carrier: 'DHL', trackingUrl: `https://suivi.example.cg/${orderId}` };
		const post = async () => {
			const res = await fetch(`${stack!.webhookUrl}/webhook/order-shipped`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(event) });
			expect(res.status).toBe(200);
			return (await res.json()) as Record<string, unknown>;
		};
		const finished = async (count: number) =>
			await waitUntil(async () => (await executionsOf(EXAMPLES.orderShipped.id)).filter((e) => e.status === 'success').length >= count, { timeoutMs: 60_000, what: `${count} finished executions of the order example` });
		const before = (await executionsOf(EXAMPLES.orderShipped.id)).filter((e) => e.status === 'success').length;
		const together = await Promise.all([post(), post()]);
		expect(together.map((a) => a.status).sort()).toEqual(['accepted', 'skipped']);
		const sent = together.find((a) => a.status === 'accepted')!;
		expect(together.find((a) => a.status === 'skipped')).toMatchObject({ idempotencyKey: orderId, to: '242065001234' });
		await finished(before + 2);
		// Once the first send's execution has ended, the repeats name it, with its message id.
		const executionIds = (await executionsOf(EXAMPLES.orderShipped.id)).map((e) => e.id);
		for (let i = 0; i < 2; i++) {
			const repeat = await post();
			expect(repeat).toMatchObject({ status: 'skipped', idempotencyKey: orderId, messageId: sent.messageId, duplicateOfExecution: expect.any(String), reason: expect.stringMatching(/^Sent by execution \d+ at /) });
			expect(executionIds).toContain(repeat.duplicateOfExecution);
		}
		expect(sent).toMatchObject({ idempotencyKey: orderId, messageId: expect.any(String) });
		expect(mtn.ledger).toEqual([expect.objectContaining({ to: '242065001234', text: expect.stringContaining(orderId) })]);
	});
});
